package org.jnvmet.model.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and calls back when its content may have changed. Uses the platform WatchService on
 * the directory for promptness and also compares the file's size, modification time and inode every poll interval,
 * because some file systems (network, overlay) deliver no events. A change is reported once the file has stopped
 * changing for a short while, so a writer that truncates and rewrites is not caught half-way.
 */
final class FileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    private final Path file;
    private final long pollMillis;
    private final Runnable onChange;
    private final Thread thread;
    private volatile boolean running = true;
    private WatchService watchService;

    private record Stamp(long size, long modified, Object key) {
    }

    FileWatcher(Path file, long pollMillis, Runnable onChange) {
        this.file = file.toAbsolutePath();
        this.pollMillis = Math.max(10, pollMillis);
        this.onChange = onChange;
        try {
            watchService = this.file.getFileSystem().newWatchService();
            this.file.getParent().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("no file events for {} ({}); polling every {} ms", file, e, this.pollMillis);
            closeWatchService();
        }
        thread = new Thread(this::run, "jnvmet-config-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime().toMillis(), a.fileKey());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.debug("cannot stat {}: {}", file, e.toString());
            return null;
        }
    }

    private void run() {
        Stamp last = stamp();
        while (running) {
            try {
                waitForEventOrTimeout();
                Stamp now = stamp();
                if (Objects.equals(now, last)) {
                    continue;
                }
                // Debounce: wait until two looks a short while apart agree.
                Stamp settled;
                do {
                    settled = now;
                    Thread.sleep(Math.min(100, pollMillis));
                    now = stamp();
                } while (running && !Objects.equals(now, settled));
                last = now;
                if (now != null && running) {
                    onChange.run();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("configuration reload failed", e);
            }
        }
    }

    private void waitForEventOrTimeout() throws InterruptedException {
        WatchService ws = watchService;
        if (ws == null) {
            Thread.sleep(pollMillis);
            return;
        }
        var key = ws.poll(pollMillis, TimeUnit.MILLISECONDS);
        if (key != null) {
            key.pollEvents();
            key.reset();
        }
    }

    private void closeWatchService() {
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.debug("closing watch service", e);
            }
            watchService = null;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeWatchService();
    }
}
