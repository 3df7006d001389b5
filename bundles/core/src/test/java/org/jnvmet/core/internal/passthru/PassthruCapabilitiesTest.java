package org.jnvmet.core.internal.passthru;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.spi.passthru.QueueLimits;
import org.junit.jupiter.api.Test;

class PassthruCapabilitiesTest {
    @Test
    void capHasNvmTimeoutAndQueueSize() {
        long cap = PassthruCapabilities.cap(128, false);
        assertEquals(127, ControllerRegisters.capMqes(cap));
        assertEquals(15, ControllerRegisters.capTimeout(cap));
        assertEquals(ControllerRegisters.CAP_CSS_NVM, cap & ControllerRegisters.CAP_CSS_NVM);
        assertEquals(0, cap & ControllerRegisters.CAP_CSS_IO_COMMAND_SETS, "bit 43 only if the device has it");
        assertEquals(0, ControllerRegisters.capMpsmin(cap));
        long multi = PassthruCapabilities.cap(1024, true);
        assertEquals(ControllerRegisters.CAP_CSS_IO_COMMAND_SETS, multi & ControllerRegisters.CAP_CSS_IO_COMMAND_SETS);
        assertEquals(1023, ControllerRegisters.capMqes(multi));
    }

    @Test
    void versionIsRaisedTo121() {
        assertEquals(0x00010201, PassthruCapabilities.version(0));
        assertEquals(0x00010201, PassthruCapabilities.version(0x00010100));
        assertEquals(0x00010201, PassthruCapabilities.version(0x00010201));
        assertEquals(0x00010300, PassthruCapabilities.version(0x00010300));
        assertEquals(0x00020000, PassthruCapabilities.version(0x00020000));
    }

    @Test
    void mdtsFollowsTheKernelFormula() {
        // 128 KiB, 33 segments: 33 pages = 264 sectors < 256 KiB; ilog2(264) = 8 -> 8 + 9 - 12 = 5
        assertEquals(5, PassthruCapabilities.mdts(QueueLimits.of(128, 33), 0));
        // 512 KiB, 128 segments: 1024 sectors -> 7
        assertEquals(7, PassthruCapabilities.mdts(QueueLimits.of(512, 128), 0));
        // segments limit first: 2048 KiB but 127 segments = 1016 sectors -> ilog2 9 -> 6
        assertEquals(6, PassthruCapabilities.mdts(QueueLimits.of(2048, 127), 0));
        // a large device is capped by one bio of 256 pages: 1 MiB -> 8
        assertEquals(8, PassthruCapabilities.mdts(QueueLimits.of(4096, 1024), 0));
        // unknown limits (0 = no limit) -> the bio cap
        assertEquals(8, PassthruCapabilities.mdts(QueueLimits.of(0, 0), 0));
        assertEquals(8, PassthruCapabilities.mdts(QueueLimits.of(0, 512), 0));
        // larger controller pages lower MDTS
        assertEquals(7, PassthruCapabilities.mdts(QueueLimits.of(4096, 1024), 1));
        // never 0 ("no limit")
        assertEquals(1, PassthruCapabilities.mdts(QueueLimits.of(2, 0), 0));
        assertEquals(1L << 20, PassthruCapabilities.maxTransferBytes(8));
    }
}
