package org.jnvmet.backend.passthru.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IoctlNumbersTest {
    @Test
    void genericEncodingMatchesTheKernelHeaders() {
        IoctlNumbers g = IoctlNumbers.GENERIC;
        // _IO('N', 0x40): no direction, no size
        assertEquals(0x4E40L, g.nvmeId());
        // _IOWR('N', 0x47 / 0x48, struct nvme_passthru_cmd64): dir 3 << 30, size 80 << 16
        assertEquals(0xC0504E47L, g.nvmeAdmin64());
        assertEquals(0xC0504E48L, g.nvmeIo64());
        // the well known NVME_IOCTL_ADMIN_CMD, struct nvme_passthru_cmd of 72 bytes, cross-checks the formula
        assertEquals(0xC0484E41L, g.iowr('N', IoctlNumbers.NVME_NR_ADMIN_CMD, IoctlNumbers.NVME_PASSTHRU_CMD_SIZE));
    }

    @Test
    void powerpcMipsSparcUseThreeDirectionBits() {
        IoctlNumbers p = IoctlNumbers.PPC_MIPS_SPARC;
        assertEquals(0x20004E40L, p.nvmeId()); // _IOC_NONE is 1 << 29 there
        assertEquals(0xC0504E47L, p.nvmeAdmin64()); // READ|WRITE = 6 << 29 = 3 << 30
        assertThrows(IllegalArgumentException.class, () -> p.iowr('N', 1, 1 << 13));
        assertEquals(IoctlNumbers.GENERIC.iowr('N', 1, 1 << 13) >>> 16 & 0x3FFF, 1 << 13);
    }

    @Test
    void architectureSelection() {
        assertEquals(IoctlNumbers.GENERIC, IoctlNumbers.forArch("amd64"));
        assertEquals(IoctlNumbers.GENERIC, IoctlNumbers.forArch("aarch64"));
        assertEquals(IoctlNumbers.GENERIC, IoctlNumbers.forArch("riscv64"));
        assertEquals(IoctlNumbers.PPC_MIPS_SPARC, IoctlNumbers.forArch("ppc64le"));
        assertEquals(IoctlNumbers.PPC_MIPS_SPARC, IoctlNumbers.forArch("mips64el"));
        assertEquals(IoctlNumbers.PPC_MIPS_SPARC, IoctlNumbers.forArch("sparcv9"));
    }
}
