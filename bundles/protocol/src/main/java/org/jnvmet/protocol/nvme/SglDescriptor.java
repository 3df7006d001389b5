package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/**
 * SGL descriptor layout (NVMe Base 2.0, 4.1.4 "Scatter Gather List (SGL)") as found in the DPTR field of an SQE.
 * Offsets are relative to the descriptor's first byte.
 */
public final class SglDescriptor {
    public static final int SIZE = 16;
    public static final int ADDRESS = 0;
    /** Length for data block descriptors (bytes 11:08). */
    public static final int LENGTH = 8;
    /** Keyed SGL: length is 3 bytes at 8, key 4 bytes at 11. */
    public static final int KEY = 11;
    /** SGL identifier: descriptor type in bits 7:4, sub type in bits 3:0. */
    public static final int IDENTIFIER = 15;

    public static final int TYPE_DATA_BLOCK = 0x0;
    public static final int TYPE_BIT_BUCKET = 0x1;
    public static final int TYPE_SEGMENT = 0x2;
    public static final int TYPE_LAST_SEGMENT = 0x3;
    public static final int TYPE_KEYED_DATA_BLOCK = 0x4;
    public static final int TYPE_TRANSPORT_DATA_BLOCK = 0x5;

    public static final int SUBTYPE_ADDRESS = 0x0;
    public static final int SUBTYPE_OFFSET = 0x1;
    public static final int SUBTYPE_TRANSPORT = 0xA;

    /** Data Block, sub type Offset: in-capsule data at an offset from the capsule's data start. */
    public static final int ID_INCAPSULE = TYPE_DATA_BLOCK << 4 | SUBTYPE_OFFSET;
    /** Transport SGL Data Block, transport specific sub type: data moves through the transport (R2T/C2HData). */
    public static final int ID_TRANSPORT = TYPE_TRANSPORT_DATA_BLOCK << 4 | SUBTYPE_TRANSPORT;

    private SglDescriptor() {
    }

    public static int identifier(ByteBuf sqe) {
        return sqe.getUnsignedByte(SubmissionQueueEntry.DPTR + IDENTIFIER);
    }

    public static long address(ByteBuf sqe) {
        return sqe.getLongLE(SubmissionQueueEntry.DPTR + ADDRESS);
    }

    /** Length of a data block descriptor, unsigned. */
    public static long length(ByteBuf sqe) {
        return sqe.getUnsignedIntLE(SubmissionQueueEntry.DPTR + LENGTH);
    }

    public static void set(ByteBuf sqe, int identifier, long address, int length) {
        int base = SubmissionQueueEntry.DPTR;
        sqe.setLongLE(base + ADDRESS, address);
        sqe.setIntLE(base + LENGTH, length);
        sqe.setMedium(base + 12, 0);
        sqe.setByte(base + IDENTIFIER, identifier);
    }
}
