package org.jnvmet.spi.backend;

import org.jnvmet.spi.transport.NvmeRequest;

/**
 * The storage behind one namespace. The core has already validated the command (namespace, LBA range, transfer
 * length) and converted LBAs to byte offsets; the backend moves the data and completes the request with
 * {@link NvmeRequest#complete(int)} (an NVMe status: {@code org.jnvmet.protocol.nvme.Status}). Backends that block
 * (files, block devices) must run the I/O on their own threads, never on the caller's (a transport event loop).
 */
public interface BlockBackend extends AutoCloseable {
    /** Capacity in bytes; may change after {@link #revalidate()}. */
    long capacity();

    /** log2 of the logical block size: 9 for 512 B, 12 for 4 KiB. */
    int blockSizeShift();

    /** Whether writes may sit in a volatile cache until Flush (Identify Controller VWC). */
    boolean volatileWriteCache();

    /** Whether deallocate (Dataset Management AD) is supported and deallocated blocks read as zeroes. */
    boolean supportsDeallocate();

    /** Reads {@code length} bytes at {@code offset} into {@code req.data()} (writing at its writer index). */
    void read(NvmeRequest req, long offset, int length);

    /** Writes the readable bytes of {@code req.data()} at {@code offset}; with {@code fua} they are durable on completion. */
    void write(NvmeRequest req, long offset, int length, boolean fua);

    void flush(NvmeRequest req);

    void writeZeroes(NvmeRequest req, long offset, long length);

    /** Deallocates ranges: {@code ranges} holds pairs (offset, length) in bytes, {@code count} pairs. */
    void deallocate(NvmeRequest req, long[] ranges, int count);

    /** Re-reads the capacity of the backing store (configfs {@code revalidate_size}). Returns the new capacity. */
    long revalidate() throws java.io.IOException;

    @Override
    void close();
}
