package org.jnvmet.backend.passthru.emulated;

import java.util.List;
import java.util.Locale;

/**
 * One namespace of an emulated controller.
 *
 * @param nsid                 namespace ID (1..1024)
 * @param sizeBytes            capacity; NSZE is this divided by the current format's block size
 * @param formats              the LBA formats the namespace supports (NLBAF + 1 of them, at most 16)
 * @param formatIndex          the format in use (FLBAS)
 * @param metadataCapabilities MC (bit 0 extended LBA, bit 1 separate buffer)
 * @param extendedLba          FLBAS bit 4: metadata at the end of each block when the format has any
 */
public record EmulatedNamespaceConfig(int nsid, long sizeBytes, List<LbaFormat> formats, int formatIndex,
        int metadataCapabilities, boolean extendedLba) {
    public static final int MAX_NSID = 1024;
    public static final int MAX_FORMATS = 16;

    public EmulatedNamespaceConfig {
        if (nsid < 1 || nsid > MAX_NSID) {
            throw new IllegalArgumentException("nsid must be in 1.." + MAX_NSID + ": " + nsid);
        }
        formats = List.copyOf(formats);
        if (formats.isEmpty() || formats.size() > MAX_FORMATS) {
            throw new IllegalArgumentException("a namespace needs 1.." + MAX_FORMATS + " LBA formats");
        }
        if (formatIndex < 0 || formatIndex >= formats.size()) {
            throw new IllegalArgumentException("format index " + formatIndex + " not among " + formats.size());
        }
        if (sizeBytes < formats.get(formatIndex).dataSize() || sizeBytes > 1L << 40) {
            throw new IllegalArgumentException("namespace size out of range: " + sizeBytes);
        }
    }

    /** A namespace with 512 and 4096 byte formats, {@code blockSize} in use. */
    public static EmulatedNamespaceConfig of(int nsid, long sizeBytes, int blockSize) {
        return new EmulatedNamespaceConfig(nsid, sizeBytes, List.of(LbaFormat.B512, LbaFormat.B4096),
                blockSize == 4096 ? 1 : 0, 0, false);
    }

    /**
     * A namespace that also lists formats with metadata (512+8, 4096+64) and metadata capabilities, with a
     * metadata-free format in use: what a passthru target must hide from fabrics hosts.
     */
    public static EmulatedNamespaceConfig withMetadataFormats(int nsid, long sizeBytes, int blockSize) {
        return new EmulatedNamespaceConfig(nsid, sizeBytes,
                List.of(LbaFormat.B512, LbaFormat.B512_MD8, LbaFormat.B4096, LbaFormat.B4096_MD64),
                blockSize == 4096 ? 2 : 0, 0x3, true);
    }

    /**
     * Parses {@code SIZE[/BLOCK][+md]}, e.g. {@code 64M}, {@code 1G/4096}, {@code 16M/512+md}; SIZE takes K, M, G
     * suffixes (powers of 1024).
     */
    public static EmulatedNamespaceConfig parse(int nsid, String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        boolean md = s.endsWith("+md");
        if (md) {
            s = s.substring(0, s.length() - 3);
        }
        int block = 512;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            block = Integer.parseInt(s.substring(slash + 1));
            s = s.substring(0, slash);
            if (block != 512 && block != 4096) {
                throw new IllegalArgumentException("block size must be 512 or 4096: " + text);
            }
        }
        long size = parseSize(s);
        return md ? withMetadataFormats(nsid, size, block) : of(nsid, size, block);
    }

    static long parseSize(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty size");
        }
        long mult = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String digits = mult == 1 ? s : s.substring(0, s.length() - 1);
        return Math.multiplyExact(Long.parseLong(digits), mult);
    }

    public LbaFormat currentFormat() {
        return formats.get(formatIndex);
    }
}
