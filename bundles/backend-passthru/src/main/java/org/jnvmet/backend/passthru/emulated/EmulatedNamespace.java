package org.jnvmet.backend.passthru.emulated;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.jnvmet.protocol.nvme.IdentifyNamespace;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;

/** One namespace of the emulated controller: its format, identifiers and RAM contents. */
final class EmulatedNamespace {
    /** DLFEAT: deallocated blocks read as zeroes (bits 2:0 = 001b), Write Zeroes may deallocate (bit 3). */
    private static final int DLFEAT_ZEROES = 0x09;

    final int nsid;
    final List<LbaFormat> formats;
    final int metadataCapabilities;
    final byte[] nguid;
    final byte[] eui64;
    final byte[] uuid;
    final SparseStore store = new SparseStore();
    private volatile long sizeBytes;
    private volatile int formatIndex;
    private volatile boolean extendedLba;
    /** Data of the vendor I/O command 81h, returned reversed by 82h. */
    volatile byte[] vendorScratch = new byte[0];

    EmulatedNamespace(String controllerSerial, EmulatedNamespaceConfig config) {
        this.nsid = config.nsid();
        this.formats = config.formats();
        this.metadataCapabilities = config.metadataCapabilities();
        this.sizeBytes = config.sizeBytes();
        this.formatIndex = config.formatIndex();
        this.extendedLba = config.extendedLba();
        byte[] digest = sha256(controllerSerial + "/ns" + nsid);
        this.nguid = Arrays.copyOfRange(digest, 0, 16);
        this.eui64 = Arrays.copyOfRange(digest, 16, 24);
        this.uuid = Arrays.copyOfRange(digest, 8, 24);
        uuid[6] = (byte) (uuid[6] & 0x0F | 0x40); // RFC 4122 version 4 layout
        uuid[8] = (byte) (uuid[8] & 0x3F | 0x80);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int blockShift() {
        return formats.get(formatIndex).dataSizeShift();
    }

    long blocks() {
        return sizeBytes >>> blockShift();
    }

    long sizeBytes() {
        return sizeBytes;
    }

    int formatIndex() {
        return formatIndex;
    }

    /** Whether [slba, slba + nlb) lies inside the namespace. */
    boolean inRange(long slba, long nlb) {
        long blocks = blocks();
        return slba >= 0 && nlb >= 0 && slba <= blocks && nlb <= blocks - slba;
    }

    synchronized void format(int index, boolean extended) {
        store.clear();
        formatIndex = index;
        extendedLba = extended;
        vendorScratch = new byte[0];
    }

    synchronized void resize(long newSize) {
        if (newSize < sizeBytes) {
            store.truncate(newSize);
        }
        sizeBytes = newSize;
    }

    /** Fills the Identify Namespace data structure (CNS 00h). */
    void identify(ByteBuf id) {
        long blocks = blocks();
        int idx = formatIndex;
        id.setLongLE(IdentifyNamespace.NSZE, blocks);
        id.setLongLE(IdentifyNamespace.NCAP, blocks);
        id.setLongLE(IdentifyNamespace.NUSE, blocks);
        id.setByte(IdentifyNamespace.NLBAF, formats.size() - 1);
        id.setByte(IdentifyNamespace.FLBAS, (idx & 0x0F) | (extendedLba ? 1 << 4 : 0) | ((idx >> 4) & 0x3) << 5);
        id.setByte(IdentifyNamespace.MC, metadataCapabilities);
        id.setByte(IdentifyNamespace.DLFEAT, DLFEAT_ZEROES);
        id.setBytes(IdentifyNamespace.NGUID, nguid);
        id.setBytes(IdentifyNamespace.EUI64, eui64);
        for (int i = 0; i < formats.size(); i++) {
            LbaFormat f = formats.get(i);
            int off = IdentifyNamespace.lbaf(i);
            id.setShortLE(off + IdentifyNamespace.LBAF_MS, f.metadataSize());
            id.setByte(off + IdentifyNamespace.LBAF_LBADS, f.dataSizeShift());
            id.setByte(off + IdentifyNamespace.LBAF_RP, i == idx ? 0 : 2); // current format "better" performance
        }
    }

    /** Fills the Namespace Identification Descriptor list (CNS 03h): EUI-64, NGUID, UUID, CSI. */
    void descriptors(ByteBuf list) {
        int off = NamespaceIdDescriptor.write(list, 0, NamespaceIdDescriptor.NIDT_EUI64, eui64);
        off = NamespaceIdDescriptor.write(list, off, NamespaceIdDescriptor.NIDT_NGUID, nguid);
        off = NamespaceIdDescriptor.write(list, off, NamespaceIdDescriptor.NIDT_UUID, uuid);
        NamespaceIdDescriptor.write(list, off, NamespaceIdDescriptor.NIDT_CSI,
                new byte[] {(byte) NamespaceIdDescriptor.CSI_NVM});
    }
}
