package org.jnvmet.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jnvmet.protocol.nvme.IdentifyController;

/**
 * The Identify Controller data structure (CNS 01h) as returned by a controller, read through the
 * {@link IdentifyController} layout. Immutable: it holds its own copy of the 4096 bytes.
 */
public final class IdentifyControllerData {
    private final ByteBuf id;

    private IdentifyControllerData(ByteBuf id) {
        this.id = id;
    }

    /** Copies the structure from {@code data} (its first 4096 readable bytes). */
    public static IdentifyControllerData parse(ByteBuf data) {
        return new IdentifyControllerData(copy(data, IdentifyController.SIZE));
    }

    static ByteBuf copy(ByteBuf data, int size) {
        if (data.readableBytes() < size) {
            throw new IllegalArgumentException("need " + size + " bytes, got " + data.readableBytes());
        }
        byte[] bytes = new byte[size];
        data.getBytes(data.readerIndex(), bytes);
        return Unpooled.wrappedBuffer(bytes).asReadOnly();
    }

    /** The raw 4096 bytes (a copy). */
    public byte[] bytes() {
        byte[] out = new byte[IdentifyController.SIZE];
        id.getBytes(0, out);
        return out;
    }

    public int vid() { return id.getUnsignedShortLE(IdentifyController.VID); }
    public int ssvid() { return id.getUnsignedShortLE(IdentifyController.SSVID); }
    public String serialNumber() { return IdentifyController.serialNumber(id); }
    public String modelNumber() { return IdentifyController.modelNumber(id); }
    public String firmwareRevision() { return IdentifyController.firmwareRevision(id); }
    /** The raw 20 SN bytes, padding included. */
    public byte[] serialNumberField() { return field(IdentifyController.SN, IdentifyController.SN_LENGTH); }
    public byte[] modelNumberField() { return field(IdentifyController.MN, IdentifyController.MN_LENGTH); }
    public byte[] firmwareRevisionField() { return field(IdentifyController.FR, IdentifyController.FR_LENGTH); }
    public int rab() { return id.getUnsignedByte(IdentifyController.RAB); }
    public int ieeeOui() { return IdentifyController.ieeeOui(id); }
    public int cmic() { return id.getUnsignedByte(IdentifyController.CMIC); }
    public int mdts() { return id.getUnsignedByte(IdentifyController.MDTS); }
    public int cntlid() { return IdentifyController.cntlid(id); }
    public int version() { return id.getIntLE(IdentifyController.VER); }
    public long rtd3r() { return id.getUnsignedIntLE(IdentifyController.RTD3R); }
    public long rtd3e() { return id.getUnsignedIntLE(IdentifyController.RTD3E); }
    public int oaes() { return id.getIntLE(IdentifyController.OAES); }
    public int ctratt() { return id.getIntLE(IdentifyController.CTRATT); }
    public int cntrltype() { return id.getUnsignedByte(IdentifyController.CNTRLTYPE); }
    public byte[] fguid() { return field(IdentifyController.FGUID, 16); }
    public int crdt1() { return id.getUnsignedShortLE(IdentifyController.CRDT1); }
    public int oacs() { return id.getUnsignedShortLE(IdentifyController.OACS); }
    public int acl() { return id.getUnsignedByte(IdentifyController.ACL); }
    public int aerl() { return id.getUnsignedByte(IdentifyController.AERL); }
    public int frmw() { return id.getUnsignedByte(IdentifyController.FRMW); }
    public int lpa() { return id.getUnsignedByte(IdentifyController.LPA); }
    public int elpe() { return id.getUnsignedByte(IdentifyController.ELPE); }
    public int npss() { return id.getUnsignedByte(IdentifyController.NPSS); }
    public int hmpre() { return id.getIntLE(IdentifyController.HMPRE); }
    public int hmmin() { return id.getIntLE(IdentifyController.HMMIN); }
    /** Keep Alive Support, in 100 ms units. */
    public int kas() { return id.getUnsignedShortLE(IdentifyController.KAS); }
    public int endgidmax() { return id.getUnsignedShortLE(IdentifyController.ENDGIDMAX); }
    public int anatt() { return id.getUnsignedByte(IdentifyController.ANATT); }
    public int anacap() { return id.getUnsignedByte(IdentifyController.ANACAP); }
    public long anagrpmax() { return id.getUnsignedIntLE(IdentifyController.ANAGRPMAX); }
    public long nanagrpid() { return id.getUnsignedIntLE(IdentifyController.NANAGRPID); }
    public int sqes() { return id.getUnsignedByte(IdentifyController.SQES); }
    public int cqes() { return id.getUnsignedByte(IdentifyController.CQES); }
    public int maxcmd() { return id.getUnsignedShortLE(IdentifyController.MAXCMD); }
    public long nn() { return id.getUnsignedIntLE(IdentifyController.NN); }
    public int oncs() { return id.getUnsignedShortLE(IdentifyController.ONCS); }
    public int fuses() { return id.getUnsignedShortLE(IdentifyController.FUSES); }
    public int fna() { return id.getUnsignedByte(IdentifyController.FNA); }
    public int vwc() { return id.getUnsignedByte(IdentifyController.VWC); }
    public int awun() { return id.getUnsignedShortLE(IdentifyController.AWUN); }
    public int awupf() { return id.getUnsignedShortLE(IdentifyController.AWUPF); }
    public int nwpc() { return id.getUnsignedByte(IdentifyController.NWPC); }
    public int acwu() { return id.getUnsignedShortLE(IdentifyController.ACWU); }
    public int sgls() { return id.getIntLE(IdentifyController.SGLS); }
    public long mnan() { return id.getUnsignedIntLE(IdentifyController.MNAN); }
    public String subsystemNqn() { return IdentifyController.subsystemNqn(id); }
    /** I/O queue command capsule supported size, in 16-byte units. */
    public long ioccsz() { return id.getUnsignedIntLE(IdentifyController.IOCCSZ); }
    public long iorcsz() { return id.getUnsignedIntLE(IdentifyController.IORCSZ); }
    public int icdoff() { return id.getUnsignedShortLE(IdentifyController.ICDOFF); }
    public int fcatt() { return id.getUnsignedByte(IdentifyController.FCATT); }
    public int msdbd() { return id.getUnsignedByte(IdentifyController.MSDBD); }
    public int ofcs() { return id.getUnsignedShortLE(IdentifyController.OFCS); }
    /** Power state descriptor 0 maximum power, in centiwatts (or 0.0001 W with the scale flag). */
    public int psd0MaxPower() { return id.getUnsignedShortLE(IdentifyController.PSD0 + IdentifyController.PSD_MP); }

    /** Largest transfer in bytes for a controller whose CAP.MPSMIN is {@code mpsmin}; 0 for no limit. */
    public long maxDataTransferBytes(int mpsmin) {
        return IdentifyController.maxDataTransferBytes(mdts(), mpsmin);
    }

    private byte[] field(int offset, int length) {
        byte[] out = new byte[length];
        id.getBytes(offset, out);
        return out;
    }

    @Override
    public String toString() {
        return "IdentifyControllerData[cntlid=" + cntlid() + ", sn=" + serialNumber() + ", mn=" + modelNumber()
                + ", fr=" + firmwareRevision() + ", ver=0x" + Integer.toHexString(version()) + ", mdts=" + mdts()
                + ", subnqn=" + subsystemNqn() + "]";
    }
}
