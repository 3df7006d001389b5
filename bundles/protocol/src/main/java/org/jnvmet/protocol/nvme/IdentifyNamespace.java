package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/**
 * Identify Namespace data structure for the NVM command set, 4096 bytes (NVM Command Set 1.0, 4.1.5.1 "NVM Command
 * Set Identify Namespace Data Structure", Figure 97).
 */
public final class IdentifyNamespace {
    public static final int SIZE = 4096;

    public static final int NSZE = 0;
    public static final int NCAP = 8;
    public static final int NUSE = 16;
    public static final int NSFEAT = 24;
    public static final int NLBAF = 25;
    public static final int FLBAS = 26;
    public static final int MC = 27;
    public static final int DPC = 28;
    public static final int DPS = 29;
    public static final int NMIC = 30;
    public static final int RESCAP = 31;
    public static final int FPI = 32;
    public static final int DLFEAT = 33;
    public static final int NAWUN = 34;
    public static final int NAWUPF = 36;
    public static final int NACWU = 38;
    public static final int NABSN = 40;
    public static final int NABO = 42;
    public static final int NABSPF = 44;
    public static final int NOIOB = 46;
    public static final int NVMCAP = 48;
    public static final int NPWG = 64;
    public static final int NPWA = 66;
    public static final int NPDG = 68;
    public static final int NPDA = 70;
    public static final int NOWS = 72;
    public static final int MSSRL = 74;
    public static final int MCL = 76;
    public static final int MSRC = 80;
    public static final int NULBAF = 81;
    public static final int ANAGRPID = 92;
    public static final int NSATTR = 99;
    public static final int NVMSETID = 100;
    public static final int ENDGID = 102;
    public static final int NGUID = 104;
    public static final int EUI64 = 120;
    /** LBA Format 0; 64 formats of 4 bytes each (Figure 98): MS bits 15:0, LBADS bits 23:16, RP bits 25:24. */
    public static final int LBAF0 = 128;
    public static final int LBAF_SIZE = 4;
    public static final int LBAF_COUNT = 64;
    public static final int LBAF_MS = 0;
    public static final int LBAF_LBADS = 2;
    public static final int LBAF_RP = 3;
    public static final int VS = 384;

    public static final int NMIC_SHARED = 1 << 0;
    public static final int NSATTR_WRITE_PROTECTED = 1 << 0;

    private IdentifyNamespace() {
    }

    public static long nsze(ByteBuf id) {
        return id.getLongLE(NSZE);
    }

    public static long ncap(ByteBuf id) {
        return id.getLongLE(NCAP);
    }

    public static long nuse(ByteBuf id) {
        return id.getLongLE(NUSE);
    }

    /** Offset of LBA format {@code index}. */
    public static int lbaf(int index) {
        return LBAF0 + index * LBAF_SIZE;
    }

    /** log2 of the logical block size of the format FLBAS selects (bits 3:0 and 6:5). */
    public static int lbaDataSizeShift(ByteBuf id) {
        int flbas = id.getUnsignedByte(FLBAS);
        int index = (flbas & 0x0F) | ((flbas >> 5) & 0x03) << 4;
        return id.getUnsignedByte(lbaf(index) + LBAF_LBADS);
    }
}
