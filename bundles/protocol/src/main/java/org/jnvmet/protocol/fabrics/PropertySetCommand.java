package org.jnvmet.protocol.fabrics;

import io.netty.buffer.ByteBuf;

/** Property Set command (NVMe over Fabrics 1.1, 3.3 "Property Set Command", Figure 27). */
public final class PropertySetCommand {
    public static final int ATTRIB = 40;
    public static final int OFFSET = 44;
    /** Value, 8 bytes (only the low 4 are used for 4-byte properties). */
    public static final int VALUE = 48;
    public static final int ATTRIB_SIZE_8 = 1;

    private PropertySetCommand() {
    }

    public static int attrib(ByteBuf sqe) {
        return sqe.getUnsignedByte(ATTRIB);
    }

    public static int offset(ByteBuf sqe) {
        return sqe.getIntLE(OFFSET);
    }

    public static long value(ByteBuf sqe) {
        return sqe.getLongLE(VALUE);
    }

    public static void set(ByteBuf sqe, int offset, long value, boolean eightBytes) {
        FabricsCommandType.set(sqe, FabricsCommandType.PROPERTY_SET);
        sqe.setByte(ATTRIB, eightBytes ? ATTRIB_SIZE_8 : 0);
        sqe.setIntLE(OFFSET, offset);
        sqe.setLongLE(VALUE, value);
    }
}
