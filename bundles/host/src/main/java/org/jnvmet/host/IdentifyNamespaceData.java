package org.jnvmet.host;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.IdentifyNamespace;

/**
 * The NVM command set Identify Namespace data structure (CNS 00h) read through the {@link IdentifyNamespace}
 * layout. All zero for an NSID that is not active. Immutable copy of the 4096 bytes.
 */
public final class IdentifyNamespaceData {
    private final ByteBuf id;

    private IdentifyNamespaceData(ByteBuf id) {
        this.id = id;
    }

    public static IdentifyNamespaceData parse(ByteBuf data) {
        return new IdentifyNamespaceData(IdentifyControllerData.copy(data, IdentifyNamespace.SIZE));
    }

    public byte[] bytes() {
        byte[] out = new byte[IdentifyNamespace.SIZE];
        id.getBytes(0, out);
        return out;
    }

    /** False for the all-zero structure returned for an inactive NSID. */
    public boolean isActive() {
        return nsze() != 0;
    }

    public long nsze() { return IdentifyNamespace.nsze(id); }
    public long ncap() { return IdentifyNamespace.ncap(id); }
    public long nuse() { return IdentifyNamespace.nuse(id); }
    public int nsfeat() { return id.getUnsignedByte(IdentifyNamespace.NSFEAT); }
    /** Number of LBA formats, 0's based. */
    public int nlbaf() { return id.getUnsignedByte(IdentifyNamespace.NLBAF); }
    public int flbas() { return id.getUnsignedByte(IdentifyNamespace.FLBAS); }
    public int mc() { return id.getUnsignedByte(IdentifyNamespace.MC); }
    public int dpc() { return id.getUnsignedByte(IdentifyNamespace.DPC); }
    public int dps() { return id.getUnsignedByte(IdentifyNamespace.DPS); }
    public int nmic() { return id.getUnsignedByte(IdentifyNamespace.NMIC); }
    public int rescap() { return id.getUnsignedByte(IdentifyNamespace.RESCAP); }
    public int dlfeat() { return id.getUnsignedByte(IdentifyNamespace.DLFEAT); }
    public int nawun() { return id.getUnsignedShortLE(IdentifyNamespace.NAWUN); }
    public int nawupf() { return id.getUnsignedShortLE(IdentifyNamespace.NAWUPF); }
    public int nacwu() { return id.getUnsignedShortLE(IdentifyNamespace.NACWU); }
    public int npwg() { return id.getUnsignedShortLE(IdentifyNamespace.NPWG); }
    public int npwa() { return id.getUnsignedShortLE(IdentifyNamespace.NPWA); }
    public int npdg() { return id.getUnsignedShortLE(IdentifyNamespace.NPDG); }
    public int npda() { return id.getUnsignedShortLE(IdentifyNamespace.NPDA); }
    public int nows() { return id.getUnsignedShortLE(IdentifyNamespace.NOWS); }
    public long anagrpid() { return id.getUnsignedIntLE(IdentifyNamespace.ANAGRPID); }
    public int nsattr() { return id.getUnsignedByte(IdentifyNamespace.NSATTR); }
    public int nvmsetid() { return id.getUnsignedShortLE(IdentifyNamespace.NVMSETID); }
    public int endgid() { return id.getUnsignedShortLE(IdentifyNamespace.ENDGID); }
    public byte[] nguid() { return field(IdentifyNamespace.NGUID, 16); }
    public byte[] eui64() { return field(IdentifyNamespace.EUI64, 8); }

    /** Metadata size of LBA format {@code index}. */
    public int lbafMetadataSize(int index) {
        return id.getUnsignedShortLE(IdentifyNamespace.lbaf(index) + IdentifyNamespace.LBAF_MS);
    }

    /** LBADS (log2 of the data size) of LBA format {@code index}. */
    public int lbafDataSizeShift(int index) {
        return id.getUnsignedByte(IdentifyNamespace.lbaf(index) + IdentifyNamespace.LBAF_LBADS);
    }

    public int lbafRelativePerformance(int index) {
        return id.getUnsignedByte(IdentifyNamespace.lbaf(index) + IdentifyNamespace.LBAF_RP) & 0x3;
    }

    /** log2 of the logical block size in use (the format FLBAS selects). */
    public int lbaShift() {
        return IdentifyNamespace.lbaDataSizeShift(id);
    }

    public int blockSize() {
        return 1 << lbaShift();
    }

    private byte[] field(int offset, int length) {
        byte[] out = new byte[length];
        id.getBytes(offset, out);
        return out;
    }

    @Override
    public String toString() {
        return "IdentifyNamespaceData[nsze=" + nsze() + ", ncap=" + ncap() + ", nuse=" + nuse() + ", lbads="
                + lbaShift() + ", nmic=" + nmic() + ", anagrpid=" + anagrpid() + "]";
    }
}
