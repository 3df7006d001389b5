package org.jnvmet.backend.ns.internal;

import io.netty.buffer.ByteBuf;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jnvmet.backend.ns.internal.IoWorkerPool.IoScratch;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.spi.transport.NvmeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A namespace on a regular file or a block device, through {@link FileChannel} positional I/O on the factory's
 * worker threads; completions are called from the worker. Data moves straight between the request's buffer and the
 * channel, except for O_DIRECT I/O whose buffer is not a single direct buffer aligned to {@link ChannelSet#alignment}
 * (Java refuses those, as the kernel would): that goes through the worker's aligned bounce buffer.
 *
 * <p>Deallocate and Write Zeroes zero the range, since Java cannot punch holes without native code. To keep sparse
 * files sparse (and to spare an SSD needless writes), each piece is read first and only written when not already
 * zero: holes read as zeroes without I/O.
 */
final class ChannelBackend implements BlockBackend {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelBackend.class);
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Reads the backing store's size in bytes. */
    @FunctionalInterface
    interface CapacityProbe {
        long bytes(FileChannel channel) throws IOException;
    }

    /**
     * What is opened and how.
     *
     * @param devicePath         the configured device_path, for messages
     * @param path               the file or device node
     * @param bufferedIo         buffered_io: false asks for O_DIRECT
     * @param blockShift         log2 of the logical block size
     * @param volatileWriteCache whether the device itself caches writes (page cache use is added automatically)
     * @param capacity           size probe, called at open and by {@link #revalidate()}
     */
    record Device(String devicePath, Path path, boolean bufferedIo, int blockShift, boolean volatileWriteCache,
            CapacityProbe capacity) {
    }

    @FunctionalInterface
    private interface IoOp {
        int run() throws IOException;
    }

    private final Device device;
    private final ChannelSet channels;
    private final IoWorkerPool pool;
    private final Consumer<? super ChannelBackend> onClose;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder bounced = new LongAdder();
    private volatile long capacity;
    private volatile boolean closed;
    private volatile long lastWarnNanos;

    ChannelBackend(Device device, IoWorkerPool pool, ChannelOpener opener, Consumer<? super ChannelBackend> onClose)
            throws IOException {
        this.device = device;
        this.pool = pool;
        this.onClose = onClose;
        this.channels = ChannelSet.open(device.path(), !device.bufferedIo(), 1 << device.blockShift(), opener);
        try {
            this.capacity = blockFloor(device.capacity().bytes(channels.main));
        } catch (IOException | RuntimeException e) {
            channels.close();
            throw e;
        }
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public int blockSizeShift() {
        return device.blockShift();
    }

    @Override
    public boolean volatileWriteCache() {
        return device.volatileWriteCache() || !channels.direct;
    }

    @Override
    public boolean supportsDeallocate() {
        return true;
    }

    /** Whether O_DIRECT is in use (false after a fallback to buffered I/O). */
    boolean directIo() {
        return channels.direct;
    }

    int directAlignment() {
        return channels.alignment;
    }

    /** Direct reads and writes that needed the bounce buffer (the request's buffer was not aligned). */
    long bouncedIos() {
        return bounced.sum();
    }

    @Override
    public void read(NvmeRequest req, long offset, int length) {
        int early = precheck(offset, length);
        if (early == Status.SUCCESS && length > 0 && req.data() == null) {
            early = IoErrors.BAD_DATA_LENGTH;
        }
        if (early != Status.SUCCESS || length == 0) {
            req.complete(early);
            return;
        }
        submit(req, () -> doRead(req.data(), offset, length));
    }

    @Override
    public void write(NvmeRequest req, long offset, int length, boolean fua) {
        int early = precheck(offset, length);
        ByteBuf data = req.data();
        if (early == Status.SUCCESS && length > 0 && (data == null || data.readableBytes() < length)) {
            early = IoErrors.BAD_DATA_LENGTH;
        }
        if (early != Status.SUCCESS || length == 0) {
            req.complete(early);
            return;
        }
        submit(req, () -> doWrite(data, offset, length, fua));
    }

    @Override
    public void flush(NvmeRequest req) {
        if (closed) {
            req.complete(IoErrors.INTERNAL_PATH_ERROR);
            return;
        }
        submit(req, () -> {
            channels.main.force(false); // fdatasync: the kernel's vfs_fsync(file, 1)
            return Status.SUCCESS;
        });
    }

    @Override
    public void writeZeroes(NvmeRequest req, long offset, long length) {
        int early = precheck(offset, length);
        if (early != Status.SUCCESS || length == 0) {
            req.complete(early);
            return;
        }
        submit(req, () -> zeroRange(offset, length));
    }

    @Override
    public void deallocate(NvmeRequest req, long[] ranges, int count) {
        int early = closed ? IoErrors.INTERNAL_PATH_ERROR : RangeList.validate(ranges, count, capacity);
        if (early != Status.SUCCESS) {
            req.complete(early);
            return;
        }
        long[] own = Arrays.copyOf(ranges, 2 * count); // the caller may reuse its array before we run
        submit(req, () -> {
            for (int i = 0; i < count; i++) {
                zeroRange(own[2 * i], own[2 * i + 1]);
            }
            return Status.SUCCESS;
        });
    }

    @Override
    public synchronized long revalidate() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        long updated = blockFloor(device.capacity().bytes(channels.main));
        if (updated != capacity) {
            LOG.info("{}: capacity {} -> {} bytes", device.devicePath(), capacity, updated);
            capacity = updated;
        }
        return updated;
    }

    /** Refuses new I/O, waits (bounded) for I/O in flight, then closes the channels. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (inFlight.get() > 0) {
            LOG.warn("{}: closing with {} I/Os still in flight", device.devicePath(), inFlight.get());
        }
        channels.close();
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "ChannelBackend[" + device.devicePath() + (channels.direct ? ", O_DIRECT" : ", buffered") + "]";
    }

    private long blockFloor(long bytes) {
        return Math.max(0, bytes) & -(1L << device.blockShift());
    }

    /** SUCCESS when the I/O may proceed, else the status to complete with (the kernel's ENOSPC if out of range). */
    private int precheck(long offset, long length) {
        if (closed) {
            return IoErrors.INTERNAL_PATH_ERROR;
        }
        return IoErrors.inRange(offset, length, capacity) ? Status.SUCCESS : IoErrors.CAPACITY_EXCEEDED;
    }

    private void submit(NvmeRequest req, IoOp op) {
        inFlight.incrementAndGet();
        if (closed) {
            inFlight.decrementAndGet();
            req.complete(IoErrors.INTERNAL_PATH_ERROR);
            return;
        }
        IoWorkerPool.Submit submitted = pool.execute(() -> run(req, op));
        if (submitted != IoWorkerPool.Submit.QUEUED) {
            inFlight.decrementAndGet();
            req.complete(submitted == IoWorkerPool.Submit.FULL ? IoErrors.BUSY : IoErrors.INTERNAL_PATH_ERROR);
        }
    }

    private void run(NvmeRequest req, IoOp op) {
        int status;
        try {
            status = op.run();
        } catch (Throwable t) { // the request must complete whatever happened
            status = IoErrors.statusOf(t);
            reportFailure(t, status);
        } finally {
            inFlight.decrementAndGet(); // before complete(): a completion that closes us must not wait for itself
        }
        req.complete(status);
    }

    private void reportFailure(Throwable t, int status) {
        long now = System.nanoTime();
        if (status == IoErrors.INTERNAL_PATH_ERROR || now - lastWarnNanos < WARN_INTERVAL_NANOS) {
            LOG.debug("{}: I/O failed with {}", device.devicePath(), Status.toString(status), t);
        } else {
            lastWarnNanos = now;
            LOG.warn("{}: I/O failed with {}: {}", device.devicePath(), Status.toString(status), t.toString());
        }
    }

    private int doRead(ByteBuf data, long offset, int length) throws IOException {
        data.ensureWritable(length);
        int base = data.writerIndex();
        if (channels.alignedForDirect(offset, length)) {
            ByteBuffer target = alignedSingleBuffer(data, base, length);
            if (target != null) {
                readFully(channels.main, target, offset);
            } else {
                readBounced(data, base, offset, length);
            }
        } else if (data.nioBufferCount() == 1) {
            readFully(channels.buffered(false), data.nioBuffer(base, length), offset);
        } else {
            long pos = offset;
            for (ByteBuffer part : data.nioBuffers(base, length)) {
                int n = part.remaining();
                readFully(channels.buffered(false), part, pos);
                pos += n;
            }
        }
        data.writerIndex(base + length);
        return Status.SUCCESS;
    }

    private int doWrite(ByteBuf data, long offset, int length, boolean fua) throws IOException {
        int base = data.readerIndex();
        if (channels.alignedForDirect(offset, length)) {
            FileChannel ch = fua ? channels.mainSync : channels.main;
            ByteBuffer source = alignedSingleBuffer(data, base, length);
            if (source != null) {
                writeFully(ch, source, offset);
            } else {
                writeBounced(ch, data, base, offset, length);
            }
            return Status.SUCCESS;
        }
        // page cache: in direct mode only for unaligned I/O, synchronous when the host relies on no volatile cache
        FileChannel ch = channels.direct ? channels.buffered(fua || !device.volatileWriteCache())
                : fua ? channels.mainSync : channels.main;
        if (data.nioBufferCount() == 1) {
            writeFully(ch, data.nioBuffer(base, length), offset);
        } else {
            long pos = offset;
            for (ByteBuffer part : data.nioBuffers(base, length)) {
                int n = part.remaining();
                writeFully(ch, part, pos);
                pos += n;
            }
        }
        return Status.SUCCESS;
    }

    /** The request's memory as one direct buffer meeting O_DIRECT's address alignment, or null. */
    private ByteBuffer alignedSingleBuffer(ByteBuf data, int index, int length) {
        if (data.nioBufferCount() != 1) {
            return null;
        }
        ByteBuffer b = data.nioBuffer(index, length);
        return b.isDirect() && b.alignmentOffset(b.position(), channels.alignment) == 0 ? b : null;
    }

    private void readBounced(ByteBuf data, int base, long offset, int length) throws IOException {
        bounced.increment();
        ByteBuffer bounce = IoWorkerPool.scratch().bounce(channels.alignment);
        int done = 0;
        while (done < length) {
            int n = Math.min(IoScratch.BOUNCE_SIZE, length - done);
            bounce.clear().limit(n);
            readFully(channels.main, bounce, offset + done);
            data.setBytes(base + done, bounce.flip());
            done += n;
        }
    }

    private void writeBounced(FileChannel ch, ByteBuf data, int base, long offset, int length) throws IOException {
        bounced.increment();
        ByteBuffer bounce = IoWorkerPool.scratch().bounce(channels.alignment);
        int done = 0;
        while (done < length) {
            int n = Math.min(IoScratch.BOUNCE_SIZE, length - done);
            bounce.clear().limit(n);
            data.getBytes(base + done, bounce);
            writeFully(ch, bounce.flip(), offset + done);
            done += n;
        }
    }

    /**
     * Makes {@code [offset, offset + length)} read as zeroes, piece by piece: read, and write zeroes only where the
     * piece is not zero already. In direct mode the aligned middle uses O_DIRECT and unaligned ends the page cache.
     */
    private int zeroRange(long offset, long length) throws IOException {
        int alignment = Math.max(channels.alignment, 4096);
        ByteBuffer bounce = IoWorkerPool.scratch().bounce(alignment);
        long end = offset + length;
        long pos = offset;
        while (pos < end) {
            int n = (int) Math.min(IoScratch.BOUNCE_SIZE, end - pos);
            boolean direct = false;
            if (channels.direct) {
                int a = channels.alignment;
                int misalignment = (int) (pos & (a - 1));
                if (misalignment != 0) {
                    n = Math.min(n, a - misalignment);
                } else if (n >= a) {
                    n -= n & (a - 1);
                    direct = true;
                }
            }
            FileChannel reader = direct ? channels.main : channels.buffered(false);
            bounce.clear().limit(n);
            readFully(reader, bounce, pos);
            bounce.flip();
            ByteBuffer zeroes = IoScratch.ZEROES.duplicate().limit(n);
            if (bounce.mismatch(zeroes) >= 0) {
                FileChannel writer = direct ? channels.main
                        : channels.buffered(channels.direct && !device.volatileWriteCache());
                writeFully(writer, zeroes, pos);
            }
            pos += n;
        }
        return Status.SUCCESS;
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                // the kernel completes a short read (ret != transfer_len) with Internal Error
                throw new EOFException("end of file at byte " + pos);
            }
            pos += n;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer src, long pos) throws IOException {
        while (src.hasRemaining()) {
            int n = ch.write(src, pos);
            if (n <= 0) {
                throw new IOException("write made no progress at byte " + pos);
            }
            pos += n;
        }
    }
}
