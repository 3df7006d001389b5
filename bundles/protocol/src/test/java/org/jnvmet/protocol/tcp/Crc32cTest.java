package org.jnvmet.protocol.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cTest {
    @Test
    void knownAnswerCheckValue() {
        // The CRC-32C "check" value (RFC 3720 B.4 parameters: init ~0, reflected, final xor ~0)
        ByteBuf b = Unpooled.copiedBuffer("123456789", StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, Crc32c.compute(b));
    }

    @Test
    void knownAnswerRfc3720Vectors() {
        // RFC 3720 B.4: 32 bytes of zeros -> aa 36 91 8a (wire order), i.e. 0x8A9136AA
        assertEquals(0x8A9136AA, Crc32c.compute(Unpooled.wrappedBuffer(new byte[32])));
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertEquals(0x62A8AB43, Crc32c.compute(Unpooled.wrappedBuffer(ones)));
        byte[] inc = new byte[32];
        for (int i = 0; i < 32; i++) {
            inc[i] = (byte) i;
        }
        assertEquals(0x46DD794E, Crc32c.compute(Unpooled.wrappedBuffer(inc)));
    }

    @Test
    void sameDigestForHeapDirectAndComposite() {
        byte[] bytes = new byte[10_000];
        new java.util.Random(7).nextBytes(bytes);
        CRC32C ref = new CRC32C();
        ref.update(bytes);
        int expected = (int) ref.getValue();

        ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.directBuffer().writeBytes(bytes, 0, 3000));
        composite.addComponent(true, Unpooled.wrappedBuffer(bytes, 3000, 7000));
        try {
            assertEquals(expected, Crc32c.compute(Unpooled.wrappedBuffer(bytes)));
            assertEquals(expected, Crc32c.compute(direct));
            assertEquals(expected, Crc32c.compute(composite));
        } finally {
            direct.release();
            composite.release();
        }
    }

    @Test
    void headerDigestIsLittleEndianOnTheWire() {
        ByteBuf out = Unpooled.buffer();
        out.writeBytes("123456789".getBytes(StandardCharsets.US_ASCII));
        PduHeader.appendHeaderDigest(out, 0, 9);
        assertEquals(0x83, out.getUnsignedByte(9));
        assertEquals(0x92, out.getUnsignedByte(10));
        assertEquals(0x06, out.getUnsignedByte(11));
        assertEquals(0xE3, out.getUnsignedByte(12));
    }
}
