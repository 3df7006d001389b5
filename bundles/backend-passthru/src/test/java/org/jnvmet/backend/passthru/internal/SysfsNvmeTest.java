package org.jnvmet.backend.passthru.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Set;
import org.jnvmet.spi.passthru.QueueLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsNvmeTest {
    @TempDir
    Path root;

    @Test
    void findsControllerByDeviceNumber() {
        FakeSysfs fs = new FakeSysfs(root).controller("nvme0", "240:0").controller("nvme3", "240:3")
                .generic("ng0n1", "241:0");
        SysfsNvme s = fs.view();
        assertEquals("nvme3", s.controllerFor(240, 3));
        assertNull(s.controllerFor(241, 0));
        assertEquals("ng0n1", s.genericNamespaceFor(241, 0));
        assertEquals(3, SysfsNvme.instanceOf("nvme3"));
        assertEquals(-1, SysfsNvme.instanceOf("ng0n1"));
        assertEquals("live", s.state("nvme0"));
        assertNull(s.state("nvme9"));
    }

    @Test
    void queueLimitsAreTheSmallestOfTheNamespaces() {
        FakeSysfs fs = new FakeSysfs(root).controller("nvme0", "240:0");
        fs.namespace("nvme0", "nvme0n1", 1, 2048, 128, 1000);
        fs.namespace("nvme0", "nvme0n2", 2, 512, 127, 1000);
        QueueLimits l = fs.view().queueLimits("nvme0");
        assertEquals(512, l.maxHwSectorsKb());
        assertEquals(127, l.maxSegments());
        assertEquals(4096, l.pageSize());
        // no namespaces: unknown limits
        fs.controller("nvme1", "240:1");
        assertEquals(QueueLimits.of(0, 0), fs.view().queueLimits("nvme1"));
    }

    @Test
    void namespaceNodesPreferTheGenericCharDevice() {
        FakeSysfs fs = new FakeSysfs(root).controller("nvme0", "240:0");
        Path n1 = fs.namespace("nvme0", "nvme0n1", 1, 128, 33, 100);
        Path n2 = fs.namespace("nvme0", "nvme0c0n2", 2, 128, 33, 100); // path of a multipath namespace
        Path n3 = fs.namespace("nvme0", "nvme0n3", 3, 128, 33, 100);
        fs.node("ng0n1");
        fs.node("nvme0n1");
        fs.node("nvme0n2"); // only the multipath head's block device exists
        SysfsNvme s = fs.view();
        assertEquals(Set.of(1, 2, 3), s.namespaceDirs("nvme0").keySet());
        assertEquals(fs.dev.resolve("ng0n1"), s.namespaceNode(n1));
        assertEquals(fs.dev.resolve("nvme0n2"), s.namespaceNode(n2));
        assertNull(s.namespaceNode(n3));
        assertEquals(100, s.namespaceSectors(n1));
    }
}
