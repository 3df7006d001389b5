package org.jnvmet.host.tcp;

/**
 * How the host connects over NVMe/TCP.
 *
 * @param headerDigest        request header digests in the ICReq
 * @param dataDigest          request data digests in the ICReq
 * @param ioInlineDataSize    in-capsule data the target accepts on I/O queues: IOCCSZ * 16 - 64 from Identify
 *                            Controller (0: every write waits for an R2T). Admin queue and fabrics commands use 8 KiB.
 * @param connectTimeoutMillis TCP connect and ICResp wait, each
 */
public record NvmeTcpHostOptions(boolean headerDigest, boolean dataDigest, int ioInlineDataSize,
        long connectTimeoutMillis) {
    /** In-capsule data for the admin queue and fabrics commands (Linux NVME_TCP_ADMIN_CCSZ). */
    public static final int ADMIN_INLINE_DATA_SIZE = 8192;

    public NvmeTcpHostOptions {
        if (ioInlineDataSize < 0) {
            throw new IllegalArgumentException("ioInlineDataSize must be >= 0");
        }
        if (connectTimeoutMillis <= 0) {
            throw new IllegalArgumentException("connectTimeoutMillis must be > 0");
        }
    }

    /** No digests, no in-capsule data on I/O queues, 10 s timeouts (the Linux host waits 10 s for ICResp). */
    public static NvmeTcpHostOptions defaults() {
        return new NvmeTcpHostOptions(false, false, 0, 10_000);
    }

    public NvmeTcpHostOptions withDigests(boolean header, boolean data) {
        return new NvmeTcpHostOptions(header, data, ioInlineDataSize, connectTimeoutMillis);
    }

    public NvmeTcpHostOptions withIoInlineDataSize(int bytes) {
        return new NvmeTcpHostOptions(headerDigest, dataDigest, bytes, connectTimeoutMillis);
    }

    public NvmeTcpHostOptions withConnectTimeoutMillis(long millis) {
        return new NvmeTcpHostOptions(headerDigest, dataDigest, ioInlineDataSize, millis);
    }

    /** The inline size IOCCSZ (in 16-byte units, capsule including the 64-byte SQE) advertises. */
    public static int inlineDataSizeFromIoccsz(long ioccsz) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, ioccsz * 16 - 64));
    }
}
