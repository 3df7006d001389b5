package org.jnvmet.model.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration file and the previous good version beside it ({@code config.json.last-good}). Writes are atomic:
 * a temporary file in the same directory is written and fsynced, renamed over the file, and the directory is fsynced,
 * so a crash at any moment leaves either the old or the new complete file. The file holds DH-HMAC-CHAP secrets, so it
 * is readable by its owner only (as nvmetcli does).
 */
final class ConfigFile {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFile.class);
    static final String LAST_GOOD_SUFFIX = ".last-good";
    static final String REJECTED_SUFFIX = ".rejected";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path file;

    ConfigFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    Path path() {
        return file;
    }

    Path lastGood() {
        return file.resolveSibling(file.getFileName() + LAST_GOOD_SUFFIX);
    }

    Path rejected() {
        return file.resolveSibling(file.getFileName() + REJECTED_SUFFIX);
    }

    /** The file's text, or empty when it does not exist. Refuses files beyond the document bound. */
    Optional<String> read() throws IOException {
        return read(file);
    }

    Optional<String> readLastGood() throws IOException {
        return read(lastGood());
    }

    static Optional<String> read(Path p) throws IOException {
        try {
            long size = Files.size(p);
            if (size > NvmetcliJson.MAX_DOCUMENT_CHARS) {
                throw new IOException(p + " is larger than " + NvmetcliJson.MAX_DOCUMENT_CHARS + " bytes");
            }
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Replaces the file with {@code text}; the version it replaces becomes the last-good file. */
    void save(String text) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = writeTemp(dir, text);
        try {
            if (Files.exists(file)) {
                keepAsLastGood();
            }
            move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Writes {@code text} as the last-good file (after the file itself was replaced by someone else). */
    void saveLastGood(String text) throws IOException {
        Path dir = file.getParent();
        Path tmp = writeTemp(dir, text);
        try {
            move(tmp, lastGood());
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Moves a refused file aside (never overwritten) before the running configuration is saved over it. */
    void moveAsideRejected() throws IOException {
        if (Files.exists(file)) {
            move(file, rejected());
            syncDirectory(file.getParent());
        }
    }

    /** Removes temporary files a crash may have left behind. */
    void cleanTemporaries() {
        String prefix = "." + file.getFileName() + ".";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(file.getParent(), prefix + "*" + TEMP_SUFFIX)) {
            for (Path p : ds) {
                LOG.info("removing {} left by an interrupted save", p);
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // no directory yet: nothing to clean
        } catch (IOException e) {
            LOG.warn("cannot clean temporary files of {}: {}", file, e.toString());
        }
    }

    private Path writeTemp(Path dir, String text) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            restrictToOwner(tmp);
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /**
     * Points last-good at the current file's content without a moment where the file is missing: a hard link where
     * the file system has them, else a copy written like any other file.
     */
    private void keepAsLastGood() throws IOException {
        Path lastGood = lastGood();
        Path link = file.resolveSibling("." + file.getFileName() + ".link" + TEMP_SUFFIX);
        try {
            Files.deleteIfExists(link);
            Files.createLink(link, file);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.deleteIfExists(link);
            Optional<String> current = read(file);
            if (current.isPresent()) {
                saveLastGood(current.get());
            }
            return;
        }
        move(link, lastGood);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void restrictToOwner(Path p) {
        try {
            Files.setPosixFilePermissions(p, OWNER_ONLY);
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: leave the default permissions
        }
    }

    /** fsync of the directory makes the rename durable; not every platform can open a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
