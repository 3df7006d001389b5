package org.jnvmet.protocol.fabrics;

import io.netty.buffer.ByteBuf;
import java.util.UUID;
import org.jnvmet.protocol.nvme.AsciiField;

/** Connect command data, 1024 bytes (NVMe over Fabrics 1.1, 3.3 "Connect Command", Figure 20). */
public final class ConnectData {
    public static final int SIZE = 1024;
    /** Host identifier, 16 bytes. */
    public static final int HOSTID = 0;
    public static final int HOSTID_LENGTH = 16;
    /** Controller ID: FFFFh on the admin queue (dynamic controller), the allocated ID on I/O queues. */
    public static final int CNTLID = 16;
    public static final int SUBNQN = 256;
    public static final int HOSTNQN = 512;
    public static final int NQN_FIELD_LENGTH = 256;
    /** Longest NQN in bytes, without the terminating NUL (NVMF_NQN_SIZE). */
    public static final int NQN_MAX_LENGTH = 223;

    public static final int CNTLID_DYNAMIC = 0xFFFF;

    private ConnectData() {
    }

    public static int cntlid(ByteBuf data) {
        return data.getUnsignedShortLE(CNTLID);
    }

    /** Reads an NQN field; like Linux, byte 255 is treated as the terminator whatever it holds. */
    public static String subnqn(ByteBuf data) {
        return AsciiField.getNulTerminated(data, SUBNQN, NQN_FIELD_LENGTH - 1);
    }

    public static String hostnqn(ByteBuf data) {
        return AsciiField.getNulTerminated(data, HOSTNQN, NQN_FIELD_LENGTH - 1);
    }

    public static byte[] hostid(ByteBuf data) {
        byte[] id = new byte[HOSTID_LENGTH];
        data.getBytes(HOSTID, id);
        return id;
    }

    /** Writes the whole 1024-byte structure at the buffer's indices 0..1023 (zero fills reserved bytes). */
    public static void set(ByteBuf data, UUID hostId, int cntlid, String subnqn, String hostnqn) {
        data.setZero(0, SIZE);
        if (hostId != null) {
            data.setLong(HOSTID, hostId.getMostSignificantBits());
            data.setLong(HOSTID + 8, hostId.getLeastSignificantBits());
        }
        data.setShortLE(CNTLID, cntlid);
        AsciiField.setNulPadded(data, SUBNQN, NQN_FIELD_LENGTH, subnqn);
        AsciiField.setNulPadded(data, HOSTNQN, NQN_FIELD_LENGTH, hostnqn);
    }
}
