package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Fixed-size ASCII string fields. Identify data uses space padding (NVMe Base 2.0, 1.5 "ASCII string"); NQNs and
 * fabrics addresses are NUL terminated and NUL padded (NVMe over Fabrics 1.1, 7.1 "NVMe Qualified Names").
 */
public final class AsciiField {
    private AsciiField() {
    }

    /** Writes {@code value} (truncated to {@code length} bytes) and pads with spaces. */
    public static void setSpacePadded(ByteBuf buf, int offset, int length, String value) {
        set(buf, offset, length, value, (byte) ' ');
    }

    /** Writes {@code value} (truncated to {@code length} bytes) and pads with NUL bytes. */
    public static void setNulPadded(ByteBuf buf, int offset, int length, String value) {
        set(buf, offset, length, value, (byte) 0);
    }

    private static void set(ByteBuf buf, int offset, int length, String value, byte pad) {
        byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(bytes.length, length);
        buf.setBytes(offset, bytes, 0, n);
        for (int i = n; i < length; i++) {
            buf.setByte(offset + i, pad);
        }
    }

    /** Reads a NUL terminated field of at most {@code length} bytes (no terminator needed if full). */
    public static String getNulTerminated(ByteBuf buf, int offset, int length) {
        int end = 0;
        while (end < length && buf.getByte(offset + end) != 0) {
            end++;
        }
        return buf.toString(offset, end, StandardCharsets.US_ASCII);
    }

    /** Reads a space padded field, trailing spaces and NULs removed. */
    public static String getTrimmed(ByteBuf buf, int offset, int length) {
        int end = length;
        while (end > 0) {
            byte b = buf.getByte(offset + end - 1);
            if (b != ' ' && b != 0) {
                break;
            }
            end--;
        }
        return buf.toString(offset, end, StandardCharsets.US_ASCII);
    }
}
