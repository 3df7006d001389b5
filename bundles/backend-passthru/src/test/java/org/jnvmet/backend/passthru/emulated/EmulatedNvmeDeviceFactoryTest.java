package org.jnvmet.backend.passthru.emulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.jnvmet.backend.passthru.EmulatedNvmeDeviceFactory;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.QueueLimits;
import org.junit.jupiter.api.Test;

class EmulatedNvmeDeviceFactoryTest {
    @Test
    void opensTheSameControllerByName() throws IOException {
        EmulatedDeviceRegistry registry = new EmulatedDeviceRegistry();
        EmulatedNvmeDeviceFactory f = new EmulatedNvmeDeviceFactory(registry);
        assertTrue(f.accepts("emulated:demo"));
        assertFalse(f.accepts("/dev/nvme0"));
        try (NvmeDevice a = f.open("emulated:demo"); NvmeDevice b = f.open("emulated:demo")) {
            assertEquals("emulated:demo", a.name());
            assertEquals(a.name(), b.name());
            EmulatedNvmeController c = registry.get("demo").orElseThrow();
            assertEquals(2, c.openHandles());
            assertSame(c, registry.getOrCreate("demo"));
            assertEquals(QueueLimits.of(512, 128), a.queueLimits());
        }
        assertEquals(0, registry.get("demo").orElseThrow().openHandles());
        registry.clear();
        assertTrue(registry.get("demo").isEmpty());
    }

    @Test
    void badNamesAreRefusedNamingThePath() {
        EmulatedNvmeDeviceFactory f = new EmulatedNvmeDeviceFactory(new EmulatedDeviceRegistry());
        String m = assertThrows(IOException.class, () -> f.open("emulated:a/b")).getMessage();
        assertTrue(m.contains("'emulated:a/b'"), m);
        assertThrows(IOException.class, () -> f.open("emulated:"));
        assertThrows(IOException.class, () -> f.open("/dev/nvme0"));
    }

    @Test
    void configuredNamespacesApplyToNewControllers() throws IOException {
        EmulatedDeviceRegistry registry = new EmulatedDeviceRegistry();
        EmulatedNvmeDeviceFactory f = new EmulatedNvmeDeviceFactory(registry,
                name -> EmulatedControllerConfig.defaults(name).withNamespaces(List.of(
                        EmulatedNamespaceConfig.parse(1, "1M/4096"), EmulatedNamespaceConfig.parse(2, "2M/512+md"))));
        try (NvmeDevice d = f.open("emulated:small")) {
            EmulatedNvmeController c = registry.get("small").orElseThrow();
            assertEquals(List.of(1, 2), c.namespaceIds());
            assertEquals(4096, c.blockSize(1));
            assertEquals(512, c.blockSize(2));
        }
        registry.clear();
    }

    @Test
    void namespaceSpecParsing() {
        EmulatedNamespaceConfig c = EmulatedNamespaceConfig.parse(4, "16M/512+md");
        assertEquals(16L << 20, c.sizeBytes());
        assertEquals(4, c.formats().size());
        assertEquals(LbaFormat.B512, c.currentFormat());
        assertEquals(1L << 30, EmulatedNamespaceConfig.parse(1, "1G").sizeBytes());
        assertThrows(IllegalArgumentException.class, () -> EmulatedNamespaceConfig.parse(1, "1M/1024"));
        assertThrows(IllegalArgumentException.class, () -> EmulatedNamespaceConfig.parse(0, "1M"));
    }
}
