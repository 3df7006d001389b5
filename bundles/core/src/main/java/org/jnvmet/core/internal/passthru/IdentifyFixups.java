package org.jnvmet.core.internal.passthru;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.AsciiField;
import org.jnvmet.protocol.nvme.CompletionQueueEntry;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.IdentifyNamespace;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/**
 * Rewrites the Identify data a passthru device returned so that it describes the fabrics controller, not the local
 * PCIe one (Linux {@code nvmet_passthru_override_id_ctrl}, {@code _id_ns}, {@code _id_descs}). Each method patches a
 * buffer whose index 0 is byte 0 of the structure and whose capacity is the number of bytes transferred: fields
 * beyond a short transfer are left alone (Linux fails such a transfer instead).
 */
public final class IdentifyFixups {
    /** NVMET_ASYNC_EVENTS - 1. */
    static final int AERL = 3;
    /** Abort Command Limit Linux advertises. */
    static final int ACL = 3;
    /** NVMET_KAS: keep alive timer granularity in 100 ms units, 10 = 1 s (PCIe devices usually report 0). */
    static final int KAS = 10;
    /** SQES/CQES: required and maximum entry sizes, 2^6 = 64 and 2^4 = 16 bytes. */
    static final int SQES_MAX = 0x66;
    static final int CQES_MAX = 0x44;

    private IdentifyFixups() {
    }

    /**
     * What the fabrics controller is, for {@link #controller}.
     *
     * @param cntlid         the target's controller ID
     * @param version        the subsystem's version ({@link PassthruCapabilities#version})
     * @param mdts           {@link PassthruCapabilities#mdts}
     * @param maxQueueSize   CAP.MQES + 1 (MAXCMD)
     * @param subsystemNqn   the target subsystem's NQN
     * @param inlineDataSize the port's in-capsule data size (SGLS bit 20, IOCCSZ)
     * @param keyedSgls      the transport uses keyed SGLs (RDMA; SGLS bit 2)
     * @param msdbd          the transport's maximum SGL data block descriptors
     */
    public record ControllerContext(int cntlid, int version, int mdts, int maxQueueSize, String subsystemNqn,
            int inlineDataSize, boolean keyedSgls, int msdbd) {
    }

    /** Identify Controller (CNS 01h). */
    public static void controller(ByteBuf id, ControllerContext ctx) {
        setShort(id, IdentifyController.CNTLID, ctx.cntlid());
        setInt(id, IdentifyController.VER, ctx.version());
        setByte(id, IdentifyController.MDTS, ctx.mdts());
        setByte(id, IdentifyController.ACL, ACL);
        setByte(id, IdentifyController.AERL, AERL);
        setShort(id, IdentifyController.KAS, KAS);
        setInt(id, IdentifyController.HMPRE, 0);
        setInt(id, IdentifyController.HMMIN, 0);
        if (fits(id, IdentifyController.CQES, 1)) {
            setByte(id, IdentifyController.SQES, Math.min(SQES_MAX, id.getUnsignedByte(IdentifyController.SQES)));
            setByte(id, IdentifyController.CQES, Math.min(CQES_MAX, id.getUnsignedByte(IdentifyController.CQES)));
        }
        setShort(id, IdentifyController.MAXCMD, ctx.maxQueueSize());
        setShort(id, IdentifyController.FUSES, 0);
        int sgls = IdentifyController.SGLS_SUPPORTED | (ctx.keyedSgls() ? IdentifyController.SGLS_KEYED : 0)
                | (ctx.inlineDataSize() > 0 ? IdentifyController.SGLS_OFFSET : 0);
        setInt(id, IdentifyController.SGLS, sgls);
        if (fits(id, IdentifyController.SUBNQN, IdentifyController.SUBNQN_LENGTH)) {
            AsciiField.setNulPadded(id, IdentifyController.SUBNQN, IdentifyController.SUBNQN_LENGTH - 1,
                    ctx.subsystemNqn());
            id.setByte(IdentifyController.SUBNQN + IdentifyController.SUBNQN_LENGTH - 1, 0);
        }
        setInt(id, IdentifyController.IOCCSZ, (SubmissionQueueEntry.SIZE + ctx.inlineDataSize()) / 16);
        setInt(id, IdentifyController.IORCSZ, CompletionQueueEntry.SIZE / 16);
        setByte(id, IdentifyController.MSDBD, ctx.msdbd());
        if (fits(id, IdentifyController.CMIC, 1)) {
            id.setByte(IdentifyController.CMIC,
                    id.getUnsignedByte(IdentifyController.CMIC) | IdentifyController.CMIC_MULTI_CONTROLLER);
        }
        if (fits(id, IdentifyController.ONCS, 2)) {
            id.setShortLE(IdentifyController.ONCS,
                    id.getUnsignedShortLE(IdentifyController.ONCS) & ~IdentifyController.ONCS_RESERVATIONS);
        }
        // Beyond the kernel, which passes OAES through: only the notices the target delivers are advertised. The
        // Async Event Configuration is emulated locally, so a host enabling e.g. firmware activation notices the
        // device advertises would be refused ("Failed to configure AEN" in the Linux host's log).
        if (fits(id, IdentifyController.OAES, 4)) {
            id.setIntLE(IdentifyController.OAES,
                    id.getIntLE(IdentifyController.OAES) & IdentifyController.OAES_NS_ATTRIBUTE_NOTICES);
        }
    }

    /**
     * Identify Namespace (CNS 00h): the target moves no metadata, so every LBA format with metadata is zeroed, FLBAS
     * bit 4 and MC cleared; with clear_ids also NGUID and EUI-64.
     */
    public static void namespace(ByteBuf id, boolean clearIds) {
        if (fits(id, IdentifyNamespace.NLBAF, 1)) {
            int formats = Math.min(id.getUnsignedByte(IdentifyNamespace.NLBAF) + 1, IdentifyNamespace.LBAF_COUNT);
            for (int i = 0; i < formats; i++) {
                int off = IdentifyNamespace.lbaf(i);
                if (fits(id, off, IdentifyNamespace.LBAF_SIZE) && id.getUnsignedShortLE(off) != 0) {
                    id.setZero(off, IdentifyNamespace.LBAF_SIZE);
                }
            }
        }
        if (fits(id, IdentifyNamespace.FLBAS, 1)) {
            id.setByte(IdentifyNamespace.FLBAS, id.getUnsignedByte(IdentifyNamespace.FLBAS) & ~(1 << 4));
        }
        setByte(id, IdentifyNamespace.MC, 0);
        if (clearIds) {
            if (fits(id, IdentifyNamespace.NGUID, 16)) {
                id.setZero(IdentifyNamespace.NGUID, 16);
            }
            if (fits(id, IdentifyNamespace.EUI64, 8)) {
                id.setZero(IdentifyNamespace.EUI64, 8);
            }
        }
    }

    /**
     * Namespace Identification Descriptor list (CNS 03h): with clear_ids only the Command Set Identifier descriptor
     * survives (none if the device gave none); without, the list is unchanged.
     */
    public static void descriptors(ByteBuf list, boolean clearIds) {
        if (!clearIds) {
            return;
        }
        int limit = Math.min(list.capacity(), NamespaceIdDescriptor.LIST_SIZE);
        int csi = -1;
        int pos = 0;
        while (pos + NamespaceIdDescriptor.HEADER_SIZE <= limit) {
            int nidl = list.getUnsignedByte(pos + NamespaceIdDescriptor.NIDL);
            if (nidl == 0) {
                break;
            }
            if (list.getUnsignedByte(pos + NamespaceIdDescriptor.NIDT) == NamespaceIdDescriptor.NIDT_CSI) {
                if (pos + NamespaceIdDescriptor.HEADER_SIZE + NamespaceIdDescriptor.NIDL_CSI <= limit) {
                    csi = list.getUnsignedByte(pos + NamespaceIdDescriptor.NID);
                }
                break;
            }
            pos += NamespaceIdDescriptor.HEADER_SIZE + nidl;
        }
        list.setZero(0, limit);
        if (csi >= 0 && limit >= NamespaceIdDescriptor.HEADER_SIZE + NamespaceIdDescriptor.NIDL_CSI) {
            NamespaceIdDescriptor.write(list, 0, NamespaceIdDescriptor.NIDT_CSI, new byte[] {(byte) csi});
        }
    }

    private static boolean fits(ByteBuf b, int off, int len) {
        return off + len <= b.capacity();
    }

    private static void setByte(ByteBuf b, int off, int v) {
        if (fits(b, off, 1)) {
            b.setByte(off, v);
        }
    }

    private static void setShort(ByteBuf b, int off, int v) {
        if (fits(b, off, 2)) {
            b.setShortLE(off, v);
        }
    }

    private static void setInt(ByteBuf b, int off, int v) {
        if (fits(b, off, 4)) {
            b.setIntLE(off, v);
        }
    }
}
