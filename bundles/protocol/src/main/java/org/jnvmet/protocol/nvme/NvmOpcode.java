package org.jnvmet.protocol.nvme;

/** NVM command set I/O opcodes (NVM Command Set 1.0, 3 "I/O Commands for the NVM Command Set", Figure 18). */
public final class NvmOpcode {
    public static final int FLUSH = 0x00;
    public static final int WRITE = 0x01;
    public static final int READ = 0x02;
    public static final int WRITE_UNCORRECTABLE = 0x04;
    public static final int COMPARE = 0x05;
    public static final int WRITE_ZEROES = 0x08;
    public static final int DATASET_MANAGEMENT = 0x09;
    public static final int VERIFY = 0x0C;
    public static final int RESERVATION_REGISTER = 0x0D;
    public static final int RESERVATION_REPORT = 0x0E;
    public static final int RESERVATION_ACQUIRE = 0x11;
    public static final int RESERVATION_RELEASE = 0x15;
    public static final int COPY = 0x19;

    private NvmOpcode() {
    }

    public static boolean isReservation(int opcode) {
        return opcode == RESERVATION_REGISTER || opcode == RESERVATION_REPORT || opcode == RESERVATION_ACQUIRE
                || opcode == RESERVATION_RELEASE;
    }
}
