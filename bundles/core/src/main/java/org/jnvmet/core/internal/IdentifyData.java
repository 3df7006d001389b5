package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.jnvmet.protocol.nvme.AsciiField;
import org.jnvmet.protocol.nvme.CompletionQueueEntry;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.IdentifyNamespace;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.NamespaceIdList;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.transport.NvmeRequest;

/** Identify data structures, filled as the Linux target's nvmet_execute_identify_* do. Output is pre-zeroed. */
final class IdentifyData {
    static final int KAS = 10;
    static final int MAX_NAMESPACES = Subsystem.MAX_NAMESPACES;
    static final int MAX_ANA_GROUPS = 128;
    static final int ANATT = 10;
    static final int RAB = 6;
    private static final int ONCS = IdentifyController.ONCS_COMPARE | IdentifyController.ONCS_DSM
            | IdentifyController.ONCS_WRITE_ZEROES;

    private IdentifyData() {
    }

    static void write(FabricsQueue queue, Controller c, NvmeRequest req, ByteBuf out, int base) {
        ByteBuf sqe = req.sqe();
        switch (IdentifyCommand.cns(sqe)) {
            case IdentifyCns.NAMESPACE -> namespace(c, req.nsid(), out, base);
            case IdentifyCns.CONTROLLER -> controller(queue, c, out, base);
            case IdentifyCns.ACTIVE_NAMESPACE_LIST -> activeNamespaces(c, req.nsid(), out, base);
            case IdentifyCns.CS_ACTIVE_NAMESPACE_LIST -> {
                // Every namespace is NVM; lists of other command sets are empty.
                if (IdentifyCommand.csi(sqe) == NamespaceIdDescriptor.CSI_NVM) {
                    activeNamespaces(c, req.nsid(), out, base);
                }
            }
            case IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST -> descriptors(c, req.nsid(), out, base);
            case IdentifyCns.CS_INDEPENDENT_NAMESPACE -> csIndependent(c, req.nsid(), out, base);
            case IdentifyCns.ENDURANCE_GROUP_LIST -> enduranceGroups(c, IdentifyCommand.cnssid(sqe), out, base);
            default -> {
                // CNS 05h/06h for the NVM command set: nothing beyond the zeroes.
            }
        }
    }

    /** nvmet_execute_identify_ctrl. */
    static void controller(FabricsQueue queue, Controller c, ByteBuf out, int base) {
        Subsystem s = c.subsystem;
        s.identified = true;
        common(queue, c, out, base);
        out.setByte(base + IdentifyController.RAB, RAB);
        out.setByte(base + IdentifyController.CNTRLTYPE, IdentifyController.CNTRLTYPE_IO);
        out.setByte(base + IdentifyController.CMIC, IdentifyController.CMIC_MULTI_PORT
                | IdentifyController.CMIC_MULTI_CONTROLLER | IdentifyController.CMIC_ANA);
        out.setByte(base + IdentifyController.MDTS, c.engine.mdts());
        out.setIntLE(base + IdentifyController.OAES, Controller.AEN_CFG_OPTIONAL);
        out.setIntLE(base + IdentifyController.CTRATT,
                IdentifyController.CTRATT_HOST_ID_128 | IdentifyController.CTRATT_TBKAS);
        out.setByte(base + IdentifyController.ACL, 3);
        out.setByte(base + IdentifyController.AERL, Controller.ASYNC_EVENTS - 1);
        // First slot read-only, one slot.
        out.setByte(base + IdentifyController.FRMW, 0x3);
        out.setByte(base + IdentifyController.LPA, IdentifyController.LPA_SMART_PER_NAMESPACE
                | IdentifyController.LPA_COMMAND_EFFECTS | IdentifyController.LPA_EXTENDED_DATA);
        out.setByte(base + IdentifyController.ELPE, Controller.ERROR_LOG_SLOTS - 1);
        out.setShortLE(base + IdentifyController.KAS, KAS);
        out.setByte(base + IdentifyController.SQES, 0x66);
        out.setByte(base + IdentifyController.CQES, 0x44);
        out.setIntLE(base + IdentifyController.NN, MAX_NAMESPACES);
        out.setIntLE(base + IdentifyController.MNAN, MAX_NAMESPACES);
        out.setShortLE(base + IdentifyController.ONCS, ONCS);
        out.setByte(base + IdentifyController.VWC, IdentifyController.VWC_PRESENT);
        out.setIntLE(base + IdentifyController.IOCCSZ,
                (SubmissionQueueEntry.SIZE + queue.transport.inlineDataSize()) / 16);
        out.setIntLE(base + IdentifyController.IORCSZ, CompletionQueueEntry.SIZE / 16);
        out.setByte(base + IdentifyController.MSDBD, queue.transport.maxSglDescriptors());
        out.setByte(base + IdentifyController.ANACAP, IdentifyController.ANACAP_OPTIMIZED
                | IdentifyController.ANACAP_NON_OPTIMIZED | IdentifyController.ANACAP_INACCESSIBLE
                | IdentifyController.ANACAP_PERSISTENT_LOSS | IdentifyController.ANACAP_CHANGE);
        out.setByte(base + IdentifyController.ANATT, ANATT);
        out.setIntLE(base + IdentifyController.ANAGRPMAX, MAX_ANA_GROUPS);
        out.setIntLE(base + IdentifyController.NANAGRPID, MAX_ANA_GROUPS);
        // No power management; the values qemu reports, as Linux does.
        int psd = base + IdentifyController.PSD0;
        out.setShortLE(psd + IdentifyController.PSD_MP, 0x9c4);
        out.setIntLE(psd + IdentifyController.PSD_ENLAT, 0x10);
        out.setIntLE(psd + IdentifyController.PSD_EXLAT, 0x4);
    }

    /** nvmet_execute_disc_identify. */
    static void discoveryController(FabricsQueue queue, Controller c, ByteBuf out, int base) {
        common(queue, c, out, base);
        out.setByte(base + IdentifyController.CNTRLTYPE, IdentifyController.CNTRLTYPE_DISCOVERY);
        out.setByte(base + IdentifyController.LPA, IdentifyController.LPA_EXTENDED_DATA);
        out.setIntLE(base + IdentifyController.OAES, Controller.DISC_AEN_CFG_OPTIONAL);
    }

    private static void common(FabricsQueue queue, Controller c, ByteBuf out, int base) {
        Subsystem s = c.subsystem;
        out.setShortLE(base + IdentifyController.VID, 0);
        AsciiField.setSpacePadded(out, base + IdentifyController.SN, IdentifyController.SN_LENGTH, s.serial());
        AsciiField.setSpacePadded(out, base + IdentifyController.MN, IdentifyController.MN_LENGTH, s.model());
        AsciiField.setSpacePadded(out, base + IdentifyController.FR, IdentifyController.FR_LENGTH,
                s.firmware(c.engine.firmwareRevision()));
        out.setMediumLE(base + IdentifyController.IEEE, s.spec.ieeeOui() & 0xFFFFFF);
        out.setShortLE(base + IdentifyController.CNTLID, c.cntlid);
        out.setIntLE(base + IdentifyController.VER, s.version());
        out.setShortLE(base + IdentifyController.MAXCMD, c.mqes() + 1);
        int sgls = IdentifyController.SGLS_SUPPORTED;
        if (queue.transport.inlineDataSize() > 0) {
            sgls |= IdentifyController.SGLS_OFFSET;
        }
        out.setIntLE(base + IdentifyController.SGLS, sgls);
        byte[] nqn = s.nqn.getBytes(StandardCharsets.US_ASCII);
        out.setBytes(base + IdentifyController.SUBNQN, nqn, 0, Math.min(nqn.length,
                IdentifyController.SUBNQN_LENGTH - 1));
    }

    /** nvmet_execute_identify_ns: all zeroes for an inactive NSID. */
    static void namespace(Controller c, int nsid, ByteBuf out, int base) {
        Namespace ns = c.subsystem.findActive(nsid);
        if (ns == null) {
            return;
        }
        c.engine.revalidateOnIdentify(ns);
        long blocks = ns.blocks();
        out.setLongLE(base + IdentifyNamespace.NSZE, blocks);
        out.setLongLE(base + IdentifyNamespace.NCAP, blocks);
        out.setLongLE(base + IdentifyNamespace.NUSE, blocks);
        out.setByte(base + IdentifyNamespace.NLBAF, 0);
        out.setByte(base + IdentifyNamespace.FLBAS, 0);
        // Namespaces may always be shared with other controllers.
        out.setByte(base + IdentifyNamespace.NMIC, IdentifyNamespace.NMIC_SHARED);
        out.setIntLE(base + IdentifyNamespace.ANAGRPID, ns.spec.anaGroupId());
        out.setBytes(base + IdentifyNamespace.NGUID, ns.nguid);
        out.setByte(base + IdentifyNamespace.lbaf(0) + IdentifyNamespace.LBAF_LBADS, ns.blockShift);
    }

    /** nvmet_execute_identify_nslist: active NSIDs greater than {@code minNsid}, at most 1024. */
    static void activeNamespaces(Controller c, int minNsid, ByteBuf out, int base) {
        int i = 0;
        for (Namespace ns : c.subsystem.activeNamespaces()) {
            if (Integer.compareUnsigned(ns.nsid, minNsid) <= 0) {
                continue;
            }
            out.setIntLE(base + i * 4, ns.nsid);
            if (++i == NamespaceIdList.MAX_ENTRIES) {
                break;
            }
        }
    }

    /** nvmet_execute_identify_desclist: UUID and NGUID when non-zero, then the CSI. */
    static void descriptors(Controller c, int nsid, ByteBuf out, int base) {
        Namespace ns = c.subsystem.findActive(nsid);
        if (ns == null) {
            return;
        }
        int off = base;
        byte[] uuid = Namespace.uuidBytes(ns.uuid);
        if (!allZero(uuid)) {
            off = NamespaceIdDescriptor.write(out, off, NamespaceIdDescriptor.NIDT_UUID, uuid);
        }
        if (!allZero(ns.nguid)) {
            off = NamespaceIdDescriptor.write(out, off, NamespaceIdDescriptor.NIDT_NGUID, ns.nguid);
        }
        NamespaceIdDescriptor.write(out, off, NamespaceIdDescriptor.NIDT_CSI,
                new byte[] {NamespaceIdDescriptor.CSI_NVM});
    }

    /** nvmet_execute_id_cs_indep (I/O command set independent namespace data, NVMe Base 2.0 Figure 280). */
    static void csIndependent(Controller c, int nsid, ByteBuf out, int base) {
        Namespace ns = c.subsystem.findActive(nsid);
        if (ns == null) {
            return;
        }
        out.setByte(base + 1, IdentifyNamespace.NMIC_SHARED);
        out.setIntLE(base + 4, ns.spec.anaGroupId());
        // NSTAT: namespace ready.
        out.setByte(base + 14, 1);
    }

    /** nvmet_execute_identify_endgrp_list: each namespace is its own endurance group. */
    static void enduranceGroups(Controller c, int minId, ByteBuf out, int base) {
        int i = 1;
        for (Namespace ns : c.subsystem.activeNamespaces()) {
            if (Integer.compareUnsigned(ns.nsid, minId) <= 0 || Integer.compareUnsigned(ns.nsid, 0xFFFF) > 0) {
                continue;
            }
            out.setShortLE(base + i * 2, ns.nsid);
            if (++i == IdentifyCns.DATA_SIZE / 2) {
                break;
            }
        }
        out.setShortLE(base, i - 1);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
