package org.jnvmet.protocol.tcp;

import io.netty.buffer.ByteBuf;

/**
 * The 8-byte common header (CH) that starts every NVMe/TCP PDU (NVMe/TCP Transport 1.0, 3.6.1 "PDU Header
 * Format", Figure 13). Offsets are relative to the PDU's first byte; multi-byte fields are little endian.
 */
public final class PduHeader {
    /** Size of the common header. */
    public static final int SIZE = 8;
    /** PDU-Type (3.6.1). */
    public static final int TYPE = 0;
    /** FLAGS (3.6.1): HDGSTF, DDGSTF and PDU specific bits. */
    public static final int FLAGS = 1;
    /** HLEN: length of the PDU header (CH + PSH), without the header digest. */
    public static final int HLEN = 2;
    /** PDO: offset of PDU data from the start of the PDU, 0 when there is no data. */
    public static final int PDO = 3;
    /** PLEN: length of the whole PDU including digests and padding (u32). */
    public static final int PLEN = 4;

    /** HDGSTF: a header digest follows the header (3.6.1). */
    public static final int FLAG_HDGST = 0x01;
    /** DDGSTF: a data digest follows the data (3.6.1). */
    public static final int FLAG_DDGST = 0x02;
    /** LAST_PDU in H2CData/C2HData (3.6.2.8, 3.6.2.9). */
    public static final int FLAG_LAST_PDU = 0x04;
    /** SUCCESS in C2HData: the command completed successfully, no CapsuleResp follows (3.6.2.9). */
    public static final int FLAG_SUCCESS = 0x08;

    /** Length of a header or data digest: one CRC32C (3.3.4 "Digests"). */
    public static final int DIGEST_LENGTH = 4;
    /** Longest PSH a PDU may carry: HLEN is at most 128 (ICReq/ICResp). */
    public static final int MAX_HLEN = 128;

    private PduHeader() {
    }

    /** Writes a common header at the writer index. */
    public static void write(ByteBuf out, int type, int flags, int hlen, int pdo, long plen) {
        out.writeByte(type);
        out.writeByte(flags);
        out.writeByte(hlen);
        out.writeByte(pdo);
        out.writeIntLE((int) plen);
    }

    public static int type(ByteBuf pdu) {
        return pdu.getUnsignedByte(pdu.readerIndex() + TYPE);
    }

    public static int flags(ByteBuf pdu) {
        return pdu.getUnsignedByte(pdu.readerIndex() + FLAGS);
    }

    public static int hlen(ByteBuf pdu) {
        return pdu.getUnsignedByte(pdu.readerIndex() + HLEN);
    }

    public static int pdo(ByteBuf pdu) {
        return pdu.getUnsignedByte(pdu.readerIndex() + PDO);
    }

    /** PLEN as an unsigned value (a hostile peer may send up to 4 GiB). */
    public static long plen(ByteBuf pdu) {
        return pdu.getUnsignedIntLE(pdu.readerIndex() + PLEN);
    }

    /**
     * Computes the header digest over {@code hlen} bytes starting at {@code start} and appends it (LE) at the
     * writer index. Call right after writing the header.
     */
    public static void appendHeaderDigest(ByteBuf out, int start, int hlen) {
        out.writeIntLE(Crc32c.compute(out, start, hlen));
    }
}
