package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/**
 * Identify Controller data structure, 4096 bytes (NVMe Base 2.0, 5.17.2.1 "Identify Controller data structure
 * (CNS 01h)", Figure 275; fabrics fields from Figure 275 bytes 1792-2047). Offsets are relative to its first byte.
 */
public final class IdentifyController {
    public static final int SIZE = 4096;

    // Controller Capabilities and Features (bytes 0-255)
    public static final int VID = 0;
    public static final int SSVID = 2;
    public static final int SN = 4;
    public static final int SN_LENGTH = 20;
    public static final int MN = 24;
    public static final int MN_LENGTH = 40;
    public static final int FR = 64;
    public static final int FR_LENGTH = 8;
    public static final int RAB = 72;
    /** IEEE OUI, 3 bytes, least significant byte first. */
    public static final int IEEE = 73;
    public static final int CMIC = 76;
    public static final int MDTS = 77;
    public static final int CNTLID = 78;
    public static final int VER = 80;
    public static final int RTD3R = 84;
    public static final int RTD3E = 88;
    public static final int OAES = 92;
    /** OAES bit 8: Namespace Attribute Notices supported. */
    public static final int OAES_NS_ATTRIBUTE_NOTICES = 1 << 8;
    public static final int CTRATT = 96;
    public static final int RRLS = 100;
    public static final int CNTRLTYPE = 111;
    public static final int FGUID = 112;
    public static final int CRDT1 = 128;
    public static final int CRDT2 = 130;
    public static final int CRDT3 = 132;

    // Admin Command Set Attributes & Optional Controller Capabilities (bytes 256-511)
    public static final int OACS = 256;
    public static final int ACL = 258;
    public static final int AERL = 259;
    public static final int FRMW = 260;
    public static final int LPA = 261;
    public static final int ELPE = 262;
    public static final int NPSS = 263;
    public static final int AVSCC = 264;
    public static final int APSTA = 265;
    public static final int WCTEMP = 266;
    public static final int CCTEMP = 268;
    public static final int MTFA = 270;
    public static final int HMPRE = 272;
    public static final int HMMIN = 276;
    public static final int TNVMCAP = 280;
    public static final int UNVMCAP = 296;
    public static final int RPMBS = 312;
    public static final int EDSTT = 316;
    public static final int DSTO = 318;
    public static final int FWUG = 319;
    public static final int KAS = 320;
    public static final int HCTMA = 322;
    public static final int MNTMT = 324;
    public static final int MXTMT = 326;
    public static final int SANICAP = 328;
    public static final int HMMINDS = 332;
    public static final int HMMAXD = 336;
    public static final int NSETIDMAX = 338;
    public static final int ENDGIDMAX = 340;
    public static final int ANATT = 342;
    public static final int ANACAP = 343;
    public static final int ANAGRPMAX = 344;
    public static final int NANAGRPID = 348;
    public static final int PELS = 352;

    // NVM Command Set Attributes (bytes 512-767)
    public static final int SQES = 512;
    public static final int CQES = 513;
    public static final int MAXCMD = 514;
    public static final int NN = 516;
    public static final int ONCS = 520;
    public static final int FUSES = 522;
    public static final int FNA = 524;
    public static final int VWC = 525;
    public static final int AWUN = 526;
    public static final int AWUPF = 528;
    public static final int ICSVSCC = 530;
    public static final int NWPC = 531;
    public static final int ACWU = 532;
    public static final int OCFS = 534;
    public static final int SGLS = 536;
    public static final int MNAN = 540;
    public static final int MAXDNA = 544;
    public static final int MAXCNA = 560;
    public static final int SUBNQN = 768;
    public static final int SUBNQN_LENGTH = 256;

    // NVMe over Fabrics attributes (bytes 1792-2047)
    public static final int IOCCSZ = 1792;
    public static final int IORCSZ = 1796;
    public static final int ICDOFF = 1800;
    public static final int FCATT = 1802;
    public static final int MSDBD = 1803;
    public static final int OFCS = 1804;
    public static final int DCTYPE = 1806;

    // Power State Descriptors (bytes 2048-3071) and vendor specific (3072-4095)
    public static final int PSD0 = 2048;
    public static final int PSD_SIZE = 32;
    public static final int VS = 3072;

    /** Power State Descriptor fields (Figure 276), relative to the descriptor. */
    public static final int PSD_MP = 0;
    public static final int PSD_FLAGS = 3;
    public static final int PSD_ENLAT = 4;
    public static final int PSD_EXLAT = 8;

    // Field values
    public static final int CMIC_MULTI_PORT = 1 << 0;
    public static final int CMIC_MULTI_CONTROLLER = 1 << 1;
    public static final int CMIC_SRIOV = 1 << 2;
    public static final int CMIC_ANA = 1 << 3;
    public static final int CTRATT_HOST_ID_128 = 1 << 0;
    public static final int CTRATT_TBKAS = 1 << 6;
    public static final int CNTRLTYPE_IO = 1;
    public static final int CNTRLTYPE_DISCOVERY = 2;
    public static final int CNTRLTYPE_ADMIN = 3;
    public static final int ONCS_COMPARE = 1 << 0;
    public static final int ONCS_WRITE_UNCORRECTABLE = 1 << 1;
    public static final int ONCS_DSM = 1 << 2;
    public static final int ONCS_WRITE_ZEROES = 1 << 3;
    public static final int ONCS_SAVE_FEATURES = 1 << 4;
    public static final int ONCS_RESERVATIONS = 1 << 5;
    public static final int VWC_PRESENT = 1 << 0;
    public static final int LPA_SMART_PER_NAMESPACE = 1 << 0;
    public static final int LPA_COMMAND_EFFECTS = 1 << 1;
    public static final int LPA_EXTENDED_DATA = 1 << 2;
    public static final int SGLS_SUPPORTED = 1 << 0;
    public static final int SGLS_KEYED = 1 << 2;
    public static final int SGLS_OFFSET = 1 << 20;
    public static final int ANACAP_OPTIMIZED = 1 << 0;
    public static final int ANACAP_NON_OPTIMIZED = 1 << 1;
    public static final int ANACAP_INACCESSIBLE = 1 << 2;
    public static final int ANACAP_PERSISTENT_LOSS = 1 << 3;
    public static final int ANACAP_CHANGE = 1 << 4;

    private IdentifyController() {
    }

    public static String serialNumber(ByteBuf id) {
        return AsciiField.getTrimmed(id, SN, SN_LENGTH);
    }

    public static String modelNumber(ByteBuf id) {
        return AsciiField.getTrimmed(id, MN, MN_LENGTH);
    }

    public static String firmwareRevision(ByteBuf id) {
        return AsciiField.getTrimmed(id, FR, FR_LENGTH);
    }

    public static String subsystemNqn(ByteBuf id) {
        return AsciiField.getNulTerminated(id, SUBNQN, SUBNQN_LENGTH);
    }

    public static int cntlid(ByteBuf id) {
        return id.getUnsignedShortLE(CNTLID);
    }

    public static int ieeeOui(ByteBuf id) {
        return id.getUnsignedMediumLE(IEEE);
    }

    public static void setIeeeOui(ByteBuf id, int oui) {
        id.setMediumLE(IEEE, oui);
    }

    /** Maximum data transfer in bytes for an MDTS value and CAP.MPSMIN, or 0 for no limit. */
    public static long maxDataTransferBytes(int mdts, int mpsmin) {
        return mdts == 0 ? 0 : (1L << mdts) << (12 + mpsmin);
    }
}
