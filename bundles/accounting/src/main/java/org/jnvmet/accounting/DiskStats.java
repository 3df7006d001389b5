package org.jnvmet.accounting;

/**
 * One device's line of /proc/diskstats (Documentation/admin-guide/iostats.rst, block/genhd.c diskstats_show).
 * Times are in milliseconds. jnvmet never merges requests, so the merged fields are always 0; "in progress" is a
 * momentary value, io_ticks is wall time with at least one I/O in flight, and the weighted time is, as in kernels
 * since 5.8, the sum of the four per-operation times.
 */
public record DiskStats(
        int major, int minor, String name,
        long readsCompleted, long readsMerged, long sectorsRead, long readTimeMs,
        long writesCompleted, long writesMerged, long sectorsWritten, long writeTimeMs,
        long iosInProgress, long ioTimeMs, long weightedIoTimeMs,
        long discardsCompleted, long discardsMerged, long sectorsDiscarded, long discardTimeMs,
        long flushesCompleted, long flushTimeMs) {

    /** Numeric fields after major, minor and name, as printed since Linux 5.5. */
    public static final int FIELDS = 17;
    /** Numeric fields before Linux 4.18 (no discard fields) and before 5.5 (no flush fields). */
    private static final int FIELDS_PRE_4_18 = 11;
    private static final int FIELDS_PRE_5_5 = 15;
    /** The kernel prints the time fields and the in-flight count as unsigned int, so they wrap at 2^32. */
    private static final long UINT_MASK = 0xFFFF_FFFFL;

    public DiskStats {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("device name is empty");
        }
    }

    /** The line without trailing newline, column for column as the kernel prints it ("%4d %7d %s " then fields). */
    public String toDiskstatsLine() {
        StringBuilder line = new StringBuilder(160);
        appendDiskstatsLine(line);
        return line.toString();
    }

    /** Appends {@link #toDiskstatsLine()} without building an intermediate string. */
    public void appendDiskstatsLine(StringBuilder line) {
        padLeft(line, Integer.toString(major), 4);
        line.append(' ');
        padLeft(line, Integer.toString(minor), 7);
        line.append(' ').append(columnName(name));
        long[] values = {
            readsCompleted, readsMerged, sectorsRead, readTimeMs & UINT_MASK,
            writesCompleted, writesMerged, sectorsWritten, writeTimeMs & UINT_MASK,
            iosInProgress & UINT_MASK, ioTimeMs & UINT_MASK, weightedIoTimeMs & UINT_MASK,
            discardsCompleted, discardsMerged, sectorsDiscarded, discardTimeMs & UINT_MASK,
            flushesCompleted, flushTimeMs & UINT_MASK,
        };
        for (long v : values) {
            line.append(' ').append(Long.toUnsignedString(v));
        }
    }

    /**
     * Parses one /proc/diskstats line: the current 17-field layout, or the 15- and 11-field layouts of older
     * kernels (missing fields read as 0). Device names with whitespace come back with '_' in its place.
     */
    public static DiskStats parse(String line) {
        String[] t = line.trim().split("\\s+");
        int fields = t.length - 3;
        if (fields != FIELDS && fields != FIELDS_PRE_5_5 && fields != FIELDS_PRE_4_18) {
            throw new IllegalArgumentException("not a /proc/diskstats line (" + t.length + " columns): " + line);
        }
        long[] v = new long[FIELDS];
        for (int i = 0; i < fields; i++) {
            v[i] = Long.parseUnsignedLong(t[3 + i]);
        }
        return new DiskStats(Integer.parseInt(t[0]), Integer.parseInt(t[1]), t[2],
                v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
                v[11], v[12], v[13], v[14], v[15], v[16]);
    }

    /** /proc/diskstats is split on whitespace by every reader, so a name must not contain any. */
    static String columnName(String name) {
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || Character.isWhitespace(c)) {
                if (out == null) {
                    out = new StringBuilder(name);
                }
                out.setCharAt(i, '_');
            }
        }
        return out == null ? name : out.toString();
    }

    private static void padLeft(StringBuilder line, String s, int width) {
        for (int i = s.length(); i < width; i++) {
            line.append(' ');
        }
        line.append(s);
    }
}
