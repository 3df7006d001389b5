package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/** Commands Supported and Effects log page, 4096 bytes (NVMe Base 2.0, 5.16.1.6, Figures 210-211). */
public final class CommandsSupportedAndEffectsLog {
    public static final int SIZE = 4096;
    /** Admin Command Supported entries, one 32-bit entry per opcode 0..255. */
    public static final int ACS = 0;
    /** I/O Command Supported entries, one 32-bit entry per opcode 0..255. */
    public static final int IOCS = 1024;

    public static final int CSUPP = 1 << 0;
    public static final int LBCC = 1 << 1;
    public static final int NCC = 1 << 2;
    public static final int NIC = 1 << 3;
    public static final int CCC = 1 << 4;

    private CommandsSupportedAndEffectsLog() {
    }

    public static int admin(ByteBuf log, int opcode) {
        return log.getIntLE(ACS + opcode * 4);
    }

    public static int io(ByteBuf log, int opcode) {
        return log.getIntLE(IOCS + opcode * 4);
    }

    public static void setAdmin(ByteBuf log, int opcode, int effects) {
        log.setIntLE(ACS + opcode * 4, effects);
    }

    public static void setIo(ByteBuf log, int opcode, int effects) {
        log.setIntLE(IOCS + opcode * 4, effects);
    }
}
