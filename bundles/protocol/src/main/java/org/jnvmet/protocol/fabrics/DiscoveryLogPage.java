package org.jnvmet.protocol.fabrics;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.AsciiField;

/**
 * Discovery log page (NVMe over Fabrics 1.1, 5.3 "Discovery Log Page", Figures 31-32): a 1024-byte header followed
 * by NUMREC entries of 1024 bytes. Entry offsets are relative to the entry.
 */
public final class DiscoveryLogPage {
    public static final int HEADER_SIZE = 1024;
    public static final int GENCTR = 0;
    public static final int NUMREC = 8;
    public static final int RECFMT = 16;

    public static final int ENTRY_SIZE = 1024;
    public static final int TRTYPE = 0;
    public static final int ADRFAM = 1;
    public static final int SUBTYPE = 2;
    public static final int TREQ = 3;
    public static final int PORTID = 4;
    public static final int CNTLID = 6;
    public static final int ASQSZ = 8;
    public static final int EFLAGS = 10;
    public static final int TRSVCID = 32;
    public static final int TRSVCID_LENGTH = 32;
    public static final int SUBNQN = 256;
    public static final int SUBNQN_LENGTH = 256;
    public static final int TRADDR = 512;
    public static final int TRADDR_LENGTH = 256;
    public static final int TSAS = 768;
    public static final int TSAS_LENGTH = 256;

    // TRTYPE (Figure 32)
    public static final int TRTYPE_RDMA = 1;
    public static final int TRTYPE_FC = 2;
    public static final int TRTYPE_TCP = 3;
    public static final int TRTYPE_LOOP = 254;
    // ADRFAM
    public static final int ADRFAM_IPV4 = 1;
    public static final int ADRFAM_IPV6 = 2;
    public static final int ADRFAM_IB = 3;
    public static final int ADRFAM_FC = 4;
    public static final int ADRFAM_LOOP = 254;
    // SUBTYPE
    public static final int SUBTYPE_REFERRAL = 1;
    public static final int SUBTYPE_NVME = 2;
    public static final int SUBTYPE_CURRENT_DISCOVERY = 3;
    // TREQ
    public static final int TREQ_NOT_SPECIFIED = 0;
    public static final int TREQ_REQUIRED = 1;
    public static final int TREQ_NOT_REQUIRED = 2;
    public static final int TREQ_DISABLE_SQFLOW = 1 << 2;

    private DiscoveryLogPage() {
    }

    public static int entryOffset(int index) {
        return HEADER_SIZE + index * ENTRY_SIZE;
    }

    public static long genctr(ByteBuf log) {
        return log.getLongLE(GENCTR);
    }

    public static long numrec(ByteBuf log) {
        return log.getLongLE(NUMREC);
    }

    public static String subnqn(ByteBuf log, int index) {
        return AsciiField.getNulTerminated(log, entryOffset(index) + SUBNQN, SUBNQN_LENGTH);
    }

    public static String traddr(ByteBuf log, int index) {
        return AsciiField.getNulTerminated(log, entryOffset(index) + TRADDR, TRADDR_LENGTH);
    }

    public static String trsvcid(ByteBuf log, int index) {
        return AsciiField.getNulTerminated(log, entryOffset(index) + TRSVCID, TRSVCID_LENGTH);
    }

    public static int subtype(ByteBuf log, int index) {
        return log.getUnsignedByte(entryOffset(index) + SUBTYPE);
    }

    public static int portid(ByteBuf log, int index) {
        return log.getUnsignedShortLE(entryOffset(index) + PORTID);
    }

    /** Maps a configfs addr_adrfam name to its code; 0 for unknown. */
    public static int adrfam(String name) {
        if (name == null) {
            return 0;
        }
        return switch (name) {
            case "ipv4" -> ADRFAM_IPV4;
            case "ipv6" -> ADRFAM_IPV6;
            case "ib" -> ADRFAM_IB;
            case "fc" -> ADRFAM_FC;
            case "loop" -> ADRFAM_LOOP;
            default -> 0;
        };
    }

    /** Maps a configfs addr_trtype name to its code; 0 for unknown. */
    public static int trtype(String name) {
        if (name == null) {
            return 0;
        }
        return switch (name) {
            case "rdma" -> TRTYPE_RDMA;
            case "fc" -> TRTYPE_FC;
            case "tcp" -> TRTYPE_TCP;
            case "loop" -> TRTYPE_LOOP;
            default -> 0;
        };
    }
}
