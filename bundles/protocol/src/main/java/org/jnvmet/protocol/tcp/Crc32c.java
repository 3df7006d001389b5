package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli) digests as NVMe/TCP uses them (NVMe/TCP Transport 1.0, 3.3.4 "Digests"): seed all ones,
 * final value inverted, transmitted little endian. {@link CRC32C} implements exactly that and is intrinsified.
 */
public final class Crc32c {
    private Crc32c() {
    }

    /** Digest of {@code length} bytes of {@code buf} starting at absolute {@code index}. */
    public static int compute(ByteBuf buf, int index, int length) {
        CRC32C crc = new CRC32C();
        update(crc, buf, index, length);
        return (int) crc.getValue();
    }

    /** Digest of the readable bytes of {@code buf}. */
    public static int compute(ByteBuf buf) {
        return compute(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** Adds {@code length} bytes of {@code buf} at absolute {@code index} to a running digest; no copies. */
    public static void update(CRC32C crc, ByteBuf buf, int index, int length) {
        if (length == 0) {
            return;
        }
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + index, length);
        } else if (buf.nioBufferCount() == 1) {
            // nioBuffer, not internalNioBuffer: slices of one read buffer may be digested on different threads
            crc.update(buf.nioBuffer(index, length));
        } else {
            for (ByteBuffer b : buf.nioBuffers(index, length)) {
                crc.update(b);
            }
        }
    }
}
