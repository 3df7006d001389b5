package org.jnvmet.backend.passthru.internal;

import java.util.Locale;

/**
 * ioctl request numbers, {@code _IOC(dir, type, nr, size)} as include/uapi/asm-generic/ioctl.h encodes them, with
 * the variant powerpc, mips and sparc use (3 direction bits, 13 size bits, different direction values).
 */
public enum IoctlNumbers {
    GENERIC(14, 0, 1, 2),
    /** arch/{powerpc,mips,sparc}/include/uapi/asm/ioctl.h. */
    PPC_MIPS_SPARC(13, 1, 4, 2);

    private static final int NRBITS = 8;
    private static final int TYPEBITS = 8;
    private static final int NRSHIFT = 0;
    private static final int TYPESHIFT = NRSHIFT + NRBITS;
    private static final int SIZESHIFT = TYPESHIFT + TYPEBITS;

    /** NVMe ioctls (include/uapi/linux/nvme_ioctl.h), type 'N'. */
    public static final int NVME_TYPE = 'N';
    public static final int NVME_NR_ID = 0x40;
    public static final int NVME_NR_ADMIN_CMD = 0x41;
    public static final int NVME_NR_IO_CMD = 0x43;
    public static final int NVME_NR_ADMIN64_CMD = 0x47;
    public static final int NVME_NR_IO64_CMD = 0x48;
    /** struct nvme_passthru_cmd, the 32-bit result variant. */
    public static final int NVME_PASSTHRU_CMD_SIZE = 72;

    private final int sizeBits;
    private final int none;
    private final int write;
    private final int read;

    IoctlNumbers(int sizeBits, int none, int write, int read) {
        this.sizeBits = sizeBits;
        this.none = none;
        this.write = write;
        this.read = read;
    }

    /** The encoding of the JVM's architecture ({@code os.arch}). */
    public static IoctlNumbers current() {
        return forArch(System.getProperty("os.arch", ""));
    }

    public static IoctlNumbers forArch(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        return a.startsWith("ppc") || a.startsWith("powerpc") || a.startsWith("mips") || a.startsWith("sparc")
                ? PPC_MIPS_SPARC : GENERIC;
    }

    public long ioc(int dir, int type, int nr, int size) {
        if (size < 0 || size >= 1 << sizeBits) {
            throw new IllegalArgumentException("ioctl argument size does not fit: " + size);
        }
        long value = (long) dir << (SIZESHIFT + sizeBits) | (long) size << SIZESHIFT | type << TYPESHIFT | nr;
        return value & 0xFFFFFFFFL;
    }

    /** {@code _IO(type, nr)}. */
    public long io(int type, int nr) {
        return ioc(none, type, nr, 0);
    }

    /** {@code _IOWR(type, nr, size)}. */
    public long iowr(int type, int nr, int size) {
        return ioc(read | write, type, nr, size);
    }

    /** NVME_IOCTL_ID: the namespace ID of a namespace device (ENOTTY on a controller). */
    public long nvmeId() {
        return io(NVME_TYPE, NVME_NR_ID);
    }

    /** NVME_IOCTL_ADMIN64_CMD: {@code _IOWR('N', 0x47, struct nvme_passthru_cmd64)}. */
    public long nvmeAdmin64() {
        return iowr(NVME_TYPE, NVME_NR_ADMIN64_CMD, PassthruCmd64.SIZE);
    }

    /** NVME_IOCTL_IO64_CMD: {@code _IOWR('N', 0x48, struct nvme_passthru_cmd64)}. */
    public long nvmeIo64() {
        return iowr(NVME_TYPE, NVME_NR_IO64_CMD, PassthruCmd64.SIZE);
    }
}
