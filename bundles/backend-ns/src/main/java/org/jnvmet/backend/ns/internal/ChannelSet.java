package org.jnvmet.backend.ns.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file descriptors behind one file or block device namespace.
 *
 * <ul>
 * <li>{@link #main}: O_DIRECT when direct I/O was asked for and the file system accepts it, else buffered.</li>
 * <li>{@link #mainSync}: the same with O_DSYNC, for FUA writes (the kernel's IOCB_DSYNC; with O_DIRECT on a block
 * device this becomes a FUA write rather than a whole-file fdatasync).</li>
 * <li>{@link #buffered(boolean)}: in direct mode, page-cache channels for I/O that O_DIRECT cannot take because
 * offset or length is not aligned (e.g. a 512-byte block on a file system with 4 KiB blocks). The kernel keeps the
 * two coherent: direct reads write back dirty cached pages of their range first, direct writes invalidate them.</li>
 * </ul>
 */
final class ChannelSet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelSet.class);
    private static final int DEFAULT_ALIGNMENT = 4096;

    final FileChannel main;
    final FileChannel mainSync;
    final boolean direct;
    /** Offset, length and buffer address alignment direct I/O needs; 1 in buffered mode. */
    final int alignment;
    private final Path path;
    private final ChannelOpener opener;
    private final FileChannel pageCache;
    private volatile FileChannel pageCacheSync;
    private boolean closed;

    private ChannelSet(Path path, ChannelOpener opener, FileChannel main, FileChannel mainSync, FileChannel pageCache,
            boolean direct, int alignment) {
        this.path = path;
        this.opener = opener;
        this.main = main;
        this.mainSync = mainSync;
        this.pageCache = pageCache;
        this.direct = direct;
        this.alignment = alignment;
    }

    /**
     * Opens {@code path} read-write. With {@code wantDirect}, tries O_DIRECT and falls back to buffered I/O (with a
     * log line) when the file system refuses it.
     *
     * @param minAlignment the device's logical block size; direct I/O alignment is at least this
     */
    static ChannelSet open(Path path, boolean wantDirect, int minAlignment, ChannelOpener opener) throws IOException {
        // buffered first: a missing file or a permission problem surfaces as itself, not as an O_DIRECT failure
        FileChannel buffered = opener.open(path, options(false, false));
        try {
            if (wantDirect) {
                ChannelSet set = tryDirect(path, buffered, minAlignment, opener);
                if (set != null) {
                    return set;
                }
            }
            FileChannel sync = opener.open(path, options(false, true));
            return new ChannelSet(path, opener, buffered, sync, buffered, false, 1);
        } catch (IOException | RuntimeException e) {
            closeQuietly(buffered);
            throw e;
        }
    }

    private static ChannelSet tryDirect(Path path, FileChannel buffered, int minAlignment, ChannelOpener opener)
            throws IOException {
        if (DirectIo.DIRECT == null) {
            LOG.info("{}: O_DIRECT is not available in this runtime (com.sun.nio.file); using buffered I/O", path);
            return null;
        }
        FileChannel direct;
        try {
            direct = opener.open(path, options(true, false));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("{}: the file system refused O_DIRECT ({}); using buffered I/O", path, e.getMessage());
            return null;
        }
        try {
            FileChannel directSync = opener.open(path, options(true, true));
            return new ChannelSet(path, opener, direct, directSync, buffered, true, alignment(path, minAlignment));
        } catch (IOException | RuntimeException e) {
            closeQuietly(direct);
            throw e;
        }
    }

    /**
     * The alignment Java enforces for O_DIRECT is the file system's block size (fstatvfs), which can exceed the
     * device's logical block size; use the larger of the two.
     */
    private static int alignment(Path path, int minAlignment) {
        long storeBlock;
        try {
            storeBlock = Files.getFileStore(path).getBlockSize();
        } catch (IOException | UnsupportedOperationException e) {
            storeBlock = DEFAULT_ALIGNMENT;
        }
        long a = Math.max(Math.max(storeBlock, minAlignment), 512);
        return (int) Math.min(Long.highestOneBit(a - 1) << 1, IoWorkerPool.IoScratch.MAX_ALIGNMENT); // power of two
    }

    private static Set<OpenOption> options(boolean direct, boolean dsync) {
        Set<OpenOption> options = new HashSet<>();
        options.add(StandardOpenOption.READ);
        options.add(StandardOpenOption.WRITE);
        if (direct) {
            options.add(DirectIo.DIRECT);
        }
        if (dsync) {
            options.add(StandardOpenOption.DSYNC);
        }
        return options;
    }

    /** Whether an I/O of {@code length} bytes at {@code offset} may use {@link #main} in direct mode. */
    boolean alignedForDirect(long offset, long length) {
        return direct && ((offset | length) & (alignment - 1)) == 0;
    }

    /** A page-cache channel; with {@code sync} one opened O_DSYNC. In buffered mode these are {@link #main}'s. */
    FileChannel buffered(boolean sync) throws IOException {
        if (!sync) {
            return pageCache;
        }
        if (!direct) {
            return mainSync;
        }
        FileChannel ch = pageCacheSync;
        if (ch == null) {
            synchronized (this) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                ch = pageCacheSync;
                if (ch == null) {
                    ch = opener.open(path, options(false, true));
                    pageCacheSync = ch;
                }
            }
        }
        return ch;
    }

    @Override
    public void close() {
        closeQuietly(main);
        closeQuietly(mainSync);
        if (pageCache != main) {
            closeQuietly(pageCache);
        }
        FileChannel ch;
        synchronized (this) {
            closed = true;
            ch = pageCacheSync;
            pageCacheSync = null;
        }
        if (ch != null) {
            closeQuietly(ch);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }
}
