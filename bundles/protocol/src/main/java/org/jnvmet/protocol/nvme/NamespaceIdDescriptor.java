package org.jnvmet.protocol.nvme;

import io.netty.buffer.ByteBuf;

/**
 * Namespace Identification Descriptor list entries (NVMe Base 2.0, 5.17.2.3 "Namespace Identification Descriptor
 * list (CNS 03h)", Figures 277-278): NIDT (1 byte), NIDL (1 byte), 2 reserved bytes, then NIDL bytes of identifier.
 * The list is 4096 bytes and ends at the first descriptor with NIDL 0.
 */
public final class NamespaceIdDescriptor {
    public static final int LIST_SIZE = 4096;
    public static final int HEADER_SIZE = 4;
    public static final int NIDT = 0;
    public static final int NIDL = 1;
    public static final int NID = 4;

    public static final int NIDT_EUI64 = 0x01;
    public static final int NIDT_NGUID = 0x02;
    public static final int NIDT_UUID = 0x03;
    public static final int NIDT_CSI = 0x04;
    public static final int NIDL_EUI64 = 8;
    public static final int NIDL_NGUID = 16;
    public static final int NIDL_UUID = 16;
    public static final int NIDL_CSI = 1;

    /** Command Set Identifier values (NVMe Base 2.0, Figure 286). */
    public static final int CSI_NVM = 0x00;
    public static final int CSI_KV = 0x01;
    public static final int CSI_ZNS = 0x02;

    private NamespaceIdDescriptor() {
    }

    /** Writes one descriptor at {@code offset}; returns the offset after it. */
    public static int write(ByteBuf list, int offset, int nidt, byte[] nid) {
        list.setByte(offset + NIDT, nidt);
        list.setByte(offset + NIDL, nid.length);
        list.setShortLE(offset + 2, 0);
        list.setBytes(offset + NID, nid);
        return offset + HEADER_SIZE + nid.length;
    }

    /** Finds the identifier of type {@code nidt} in a descriptor list, or null. */
    public static byte[] find(ByteBuf list, int nidt) {
        int off = 0;
        while (off + HEADER_SIZE <= LIST_SIZE && off + HEADER_SIZE <= list.capacity()) {
            int type = list.getUnsignedByte(off + NIDT);
            int len = list.getUnsignedByte(off + NIDL);
            if (len == 0 || off + HEADER_SIZE + len > list.capacity()) {
                return null;
            }
            if (type == nidt) {
                byte[] out = new byte[len];
                list.getBytes(off + NID, out);
                return out;
            }
            off += HEADER_SIZE + len;
        }
        return null;
    }
}
