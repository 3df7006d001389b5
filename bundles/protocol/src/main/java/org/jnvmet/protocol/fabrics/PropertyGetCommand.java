package org.jnvmet.protocol.fabrics;

import io.netty.buffer.ByteBuf;

/** Property Get command (NVMe over Fabrics 1.1, 3.3 "Property Get Command", Figure 25). Result in CQE DW0/DW1. */
public final class PropertyGetCommand {
    /** Attributes; bits 2:0 size: 0 = 4 bytes, 1 = 8 bytes. */
    public static final int ATTRIB = 40;
    public static final int OFFSET = 44;
    public static final int ATTRIB_SIZE_8 = 1;

    private PropertyGetCommand() {
    }

    public static int attrib(ByteBuf sqe) {
        return sqe.getUnsignedByte(ATTRIB);
    }

    public static int offset(ByteBuf sqe) {
        return sqe.getIntLE(OFFSET);
    }

    public static void set(ByteBuf sqe, int offset, boolean eightBytes) {
        FabricsCommandType.set(sqe, FabricsCommandType.PROPERTY_GET);
        sqe.setByte(ATTRIB, eightBytes ? ATTRIB_SIZE_8 : 0);
        sqe.setIntLE(OFFSET, offset);
    }
}
