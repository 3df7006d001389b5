package org.jnvmet.backend.passthru.emulated;

import static org.jnvmet.protocol.nvme.Status.DNR;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.AsciiField;
import org.jnvmet.protocol.nvme.CommandsSupportedAndEffectsLog;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.FirmwareSlotLog;
import org.jnvmet.protocol.nvme.GetLogPageCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.NamespaceIdList;
import org.jnvmet.protocol.nvme.SmartHealthLog;
import org.jnvmet.protocol.nvme.Status;

/** The admin command set of the emulated controller. Returns NVMe statuses; sets {@link Command#result}. */
final class AdminCommands {
    /** Vendor specific admin commands: C1h stores host data, C2h returns it XORed with CDW12 bits 7:0. */
    static final int VENDOR_STORE = 0xC1;
    static final int VENDOR_FETCH = 0xC2;
    /** Identify CNS 1Ch: I/O Command Set data structure (NVMe Base 2.0, Figure 273). */
    static final int CNS_IO_COMMAND_SET = 0x1C;
    static final int MAX_FIRMWARE_IMAGE = 1 << 20;
    static final int FIRMWARE_SLOTS = 2;
    static final int SANITIZE_STATUS_SIZE = 512;
    /** Controller ID of the emulated controller itself, as a PCIe device reports it. */
    static final int DEVICE_CNTLID = 0x41;

    // Identify Controller values of the emulated device (what a passthru target must or must not rewrite)
    private static final int OACS_FORMAT = 1 << 1;
    private static final int OACS_FIRMWARE = 1 << 2;
    private static final int OAES_NS_ATTR_AND_FW = 1 << 8 | 1 << 9;
    private static final int FRMW_SLOT1_RO_TWO_SLOTS = 1 | FIRMWARE_SLOTS << 1;
    private static final int LPA_EFFECTS_AND_OFFSETS = IdentifyController.LPA_COMMAND_EFFECTS
            | IdentifyController.LPA_EXTENDED_DATA;
    private static final int SANICAP_CRYPTO_AND_BLOCK = 0x3;
    private static final int HMPRE_PAGES = 0x2000;
    private static final int HMMIN_PAGES = 0x800;
    private static final int ACL_DEVICE = 7;
    private static final int AERL_DEVICE = 7;
    private static final int FUSES_COMPARE_AND_WRITE = 1;
    private static final int ONCS_DEVICE = IdentifyController.ONCS_COMPARE | IdentifyController.ONCS_DSM
            | IdentifyController.ONCS_WRITE_ZEROES | IdentifyController.ONCS_RESERVATIONS;

    private final EmulatedNvmeController ctrl;

    AdminCommands(EmulatedNvmeController ctrl) {
        this.ctrl = ctrl;
    }

    int execute(Command c) {
        return switch (c.opcode()) {
            case AdminOpcode.IDENTIFY -> identify(c);
            case AdminOpcode.GET_LOG_PAGE -> getLogPage(c);
            case AdminOpcode.GET_FEATURES -> getFeatures(c);
            case AdminOpcode.SET_FEATURES -> setFeatures(c);
            case AdminOpcode.FORMAT_NVM -> format(c);
            case AdminOpcode.SANITIZE -> sanitize(c);
            case AdminOpcode.FIRMWARE_DOWNLOAD -> firmwareDownload(c);
            case AdminOpcode.FIRMWARE_COMMIT -> firmwareCommit(c);
            case VENDOR_STORE -> vendorStore(c);
            case VENDOR_FETCH -> vendorFetch(c);
            default -> Status.INVALID_OPCODE | DNR;
        };
    }

    // ---- Identify

    private int identify(Command c) {
        int cns = IdentifyCommand.cns(c.sqe);
        int csi = IdentifyCommand.csi(c.sqe);
        ByteBuf out = Unpooled.buffer(IdentifyCns.DATA_SIZE, IdentifyCns.DATA_SIZE);
        out.writerIndex(IdentifyCns.DATA_SIZE);
        switch (cns) {
            case IdentifyCns.CONTROLLER -> identifyController(out);
            case IdentifyCns.NAMESPACE -> {
                int st = namespaceData(c.nsid(), out, false);
                if (st != 0) {
                    return st;
                }
            }
            case IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST -> {
                int st = namespaceData(c.nsid(), out, true);
                if (st != 0) {
                    return st;
                }
            }
            case IdentifyCns.ACTIVE_NAMESPACE_LIST -> activeNamespaces(c.nsid(), out);
            case IdentifyCns.CS_CONTROLLER, IdentifyCns.CS_NAMESPACE -> {
                if (csi != NamespaceIdDescriptor.CSI_NVM) {
                    return Status.INVALID_FIELD | DNR; // no Zoned Namespace or Key Value command set
                }
            }
            case CNS_IO_COMMAND_SET -> {
                if (!ctrl.config().multipleCommandSets()) {
                    return Status.INVALID_FIELD | DNR;
                }
                out.setLongLE(0, 1L << NamespaceIdDescriptor.CSI_NVM); // combination 0: NVM only
            }
            default -> {
                return Status.INVALID_FIELD | DNR;
            }
        }
        c.out(out);
        return Status.SUCCESS;
    }

    private int namespaceData(int nsid, ByteBuf out, boolean descriptors) {
        if (nsid == 0 || (nsid != -1 && Integer.compareUnsigned(nsid, ctrl.maxNsid()) > 0)
                || (nsid == -1 && descriptors)) {
            return Status.INVALID_NS | DNR;
        }
        EmulatedNamespace ns = nsid == -1 ? null : ctrl.namespace(nsid);
        if (ns == null) {
            return Status.SUCCESS; // an inactive NSID reads as zeroes
        }
        if (descriptors) {
            ns.descriptors(out);
        } else {
            ns.identify(out);
        }
        return Status.SUCCESS;
    }

    private void activeNamespaces(int after, ByteBuf out) {
        int i = 0;
        for (int nsid : ctrl.namespaceIds()) {
            if (Integer.compareUnsigned(nsid, after) > 0 && i < NamespaceIdList.MAX_ENTRIES) {
                NamespaceIdList.set(out, i++, nsid);
            }
        }
    }

    void identifyController(ByteBuf id) {
        EmulatedControllerConfig cfg = ctrl.config();
        id.setShortLE(IdentifyController.VID, cfg.vendorId());
        id.setShortLE(IdentifyController.SSVID, cfg.vendorId());
        AsciiField.setSpacePadded(id, IdentifyController.SN, IdentifyController.SN_LENGTH, cfg.serial());
        AsciiField.setSpacePadded(id, IdentifyController.MN, IdentifyController.MN_LENGTH, cfg.model());
        AsciiField.setSpacePadded(id, IdentifyController.FR, IdentifyController.FR_LENGTH, ctrl.activeFirmware());
        id.setByte(IdentifyController.RAB, 6);
        IdentifyController.setIeeeOui(id, 0x525400);
        id.setByte(IdentifyController.MDTS, ctrl.deviceMdts());
        id.setShortLE(IdentifyController.CNTLID, DEVICE_CNTLID);
        id.setIntLE(IdentifyController.VER, cfg.version());
        id.setIntLE(IdentifyController.OAES, OAES_NS_ATTR_AND_FW);
        id.setByte(IdentifyController.CNTRLTYPE, IdentifyController.CNTRLTYPE_IO);
        id.setShortLE(IdentifyController.OACS, OACS_FORMAT | OACS_FIRMWARE);
        id.setByte(IdentifyController.ACL, ACL_DEVICE);
        id.setByte(IdentifyController.AERL, AERL_DEVICE);
        id.setByte(IdentifyController.FRMW, FRMW_SLOT1_RO_TWO_SLOTS);
        id.setByte(IdentifyController.LPA, LPA_EFFECTS_AND_OFFSETS);
        id.setByte(IdentifyController.ELPE, ControllerLogs.ERROR_ENTRIES - 1);
        id.setByte(IdentifyController.AVSCC, 1);
        id.setShortLE(IdentifyController.WCTEMP, 343);
        id.setShortLE(IdentifyController.CCTEMP, 358);
        id.setIntLE(IdentifyController.HMPRE, HMPRE_PAGES);
        id.setIntLE(IdentifyController.HMMIN, HMMIN_PAGES);
        id.setLongLE(IdentifyController.TNVMCAP, ctrl.totalCapacity());
        id.setIntLE(IdentifyController.SANICAP, SANICAP_CRYPTO_AND_BLOCK);
        id.setByte(IdentifyController.SQES, 0x66);
        id.setByte(IdentifyController.CQES, 0x44);
        id.setIntLE(IdentifyController.NN, ctrl.maxNsid());
        id.setShortLE(IdentifyController.ONCS, ONCS_DEVICE);
        id.setShortLE(IdentifyController.FUSES, FUSES_COMPARE_AND_WRITE);
        id.setByte(IdentifyController.VWC, IdentifyController.VWC_PRESENT);
        AsciiField.setNulPadded(id, IdentifyController.SUBNQN, IdentifyController.SUBNQN_LENGTH,
                "nqn.2024-01.org.jnvmet:emulated:" + ctrl.name());
        id.setShortLE(IdentifyController.PSD0 + IdentifyController.PSD_MP, 900); // 9.00 W
        id.setIntLE(IdentifyController.PSD0 + IdentifyController.PSD_ENLAT, 5);
        id.setIntLE(IdentifyController.PSD0 + IdentifyController.PSD_EXLAT, 5);
    }

    // ---- Get Log Page

    private int getLogPage(Command c) {
        int lid = GetLogPageCommand.lid(c.sqe);
        long offset = GetLogPageCommand.offset(c.sqe);
        ByteBuf log;
        switch (lid) {
            case LogPageId.ERROR_INFORMATION -> {
                log = zeroed(ControllerLogs.ERROR_ENTRIES * 64);
                ctrl.logs().errorLog(log);
            }
            case LogPageId.SMART_HEALTH -> {
                log = zeroed(SmartHealthLog.SIZE);
                ctrl.logs().smart(log);
            }
            case LogPageId.FIRMWARE_SLOT -> {
                log = zeroed(FirmwareSlotLog.SIZE);
                ctrl.firmwareSlots(log);
            }
            case LogPageId.CHANGED_NAMESPACE_LIST -> {
                log = zeroed(NamespaceIdList.SIZE);
                ctrl.logs().takeChangedNamespaces(log);
            }
            case LogPageId.COMMANDS_SUPPORTED_AND_EFFECTS -> {
                log = zeroed(CommandsSupportedAndEffectsLog.SIZE);
                effects(log);
            }
            case LogPageId.SANITIZE_STATUS -> {
                log = zeroed(SANITIZE_STATUS_SIZE);
                log.setShortLE(0, 0xFFFF); // SPROG: no sanitize in progress
                log.setShortLE(2, ctrl.sanitizeStatus());
            }
            default -> {
                return Status.INVALID_LOG_PAGE | DNR;
            }
        }
        if (offset < 0 || offset >= log.capacity() || (offset & 3) != 0) {
            return Status.INVALID_FIELD | DNR;
        }
        log.readerIndex((int) offset);
        c.out(log);
        return Status.SUCCESS;
    }

    private static ByteBuf zeroed(int size) {
        ByteBuf b = Unpooled.buffer(size, size);
        b.writerIndex(size);
        return b;
    }

    private static void effects(ByteBuf log) {
        int csupp = CommandsSupportedAndEffectsLog.CSUPP;
        int lbcc = CommandsSupportedAndEffectsLog.LBCC;
        int ncc = CommandsSupportedAndEffectsLog.NCC;
        int nic = CommandsSupportedAndEffectsLog.NIC;
        int ccc = CommandsSupportedAndEffectsLog.CCC;
        for (int op : new int[] {AdminOpcode.GET_LOG_PAGE, AdminOpcode.IDENTIFY, AdminOpcode.GET_FEATURES,
                AdminOpcode.FIRMWARE_DOWNLOAD, VENDOR_FETCH}) {
            CommandsSupportedAndEffectsLog.setAdmin(log, op, csupp);
        }
        CommandsSupportedAndEffectsLog.setAdmin(log, AdminOpcode.SET_FEATURES, csupp | ccc);
        CommandsSupportedAndEffectsLog.setAdmin(log, AdminOpcode.FIRMWARE_COMMIT, csupp | ccc);
        CommandsSupportedAndEffectsLog.setAdmin(log, AdminOpcode.FORMAT_NVM, csupp | lbcc | ncc | nic);
        CommandsSupportedAndEffectsLog.setAdmin(log, AdminOpcode.SANITIZE, csupp | lbcc | ncc);
        CommandsSupportedAndEffectsLog.setAdmin(log, VENDOR_STORE, csupp);
        for (int op : IoCommands.READ_ONLY_OPCODES) {
            CommandsSupportedAndEffectsLog.setIo(log, op, csupp);
        }
        for (int op : IoCommands.WRITING_OPCODES) {
            CommandsSupportedAndEffectsLog.setIo(log, op, csupp | lbcc);
        }
    }

    // ---- Features

    private int getFeatures(Command c) {
        int fid = FeaturesCommand.fid(c.sqe);
        FeatureStore f = ctrl.features();
        if (!f.supports(fid)) {
            return Status.INVALID_FIELD | DNR;
        }
        int sel = FeaturesCommand.sel(c.sqe);
        switch (sel) {
            case 0 -> c.result = f.get(fid);
            case 1, 2 -> c.result = f.defaultValue(fid); // nothing is saveable: saved = default
            case 3 -> {
                c.result = 1 << 2; // capabilities: changeable, not saveable, not per namespace
                return Status.SUCCESS;
            }
            default -> {
                return Status.INVALID_FIELD | DNR;
            }
        }
        switch (fid) {
            case FeatureId.AUTONOMOUS_POWER_STATE_TRANSITION -> c.out(sel == 0 ? f.apst
                    : new byte[FeatureStore.APST_DATA_SIZE]);
            case FeatureId.HOST_BEHAVIOR_SUPPORT -> c.out(sel == 0 ? f.hostBehavior
                    : new byte[FeatureStore.HOST_BEHAVIOR_DATA_SIZE]);
            case FeatureId.TIMESTAMP -> {
                long ms = System.currentTimeMillis() + f.timestampOffsetMillis;
                byte[] ts = new byte[FeatureStore.TIMESTAMP_DATA_SIZE];
                for (int i = 0; i < 6; i++) {
                    ts[i] = (byte) (ms >>> (8 * i));
                }
                ts[6] = (byte) (f.timestampOffsetMillis != 0 ? 1 << 1 : 0); // Timestamp Origin: set by host
                c.out(ts);
            }
            default -> {
            }
        }
        return Status.SUCCESS;
    }

    private int setFeatures(Command c) {
        int fid = FeaturesCommand.fid(c.sqe);
        FeatureStore f = ctrl.features();
        if (!f.supports(fid)) {
            return Status.INVALID_FIELD | DNR;
        }
        if (FeaturesCommand.save(c.sqe)) {
            return Status.FEATURE_NOT_SAVEABLE | DNR;
        }
        int need = FeatureStore.dataSize(fid);
        if (c.length < need) {
            return Status.INVALID_FIELD | DNR;
        }
        int value = c.cdw(11);
        switch (fid) {
            case FeatureId.NUMBER_OF_QUEUES -> {
                int nsqr = Math.min(value & 0xFFFF, 63);
                int ncqr = Math.min(value >>> 16, 63);
                value = ncqr << 16 | nsqr;
                c.result = value;
            }
            case FeatureId.AUTONOMOUS_POWER_STATE_TRANSITION -> c.data.getBytes(c.inIndex(), f.apst);
            case FeatureId.HOST_BEHAVIOR_SUPPORT -> c.data.getBytes(c.inIndex(), f.hostBehavior);
            case FeatureId.TIMESTAMP -> {
                int at = c.inIndex();
                long ms = c.data.getUnsignedIntLE(at) | (long) c.data.getUnsignedShortLE(at + 4) << 32;
                f.timestampOffsetMillis = ms - System.currentTimeMillis();
            }
            default -> {
            }
        }
        f.set(fid, value);
        return Status.SUCCESS;
    }

    // ---- Format NVM, Sanitize, Firmware

    private int format(Command c) {
        int cdw10 = c.cdw(10);
        int index = (cdw10 & 0xF) | ((cdw10 >>> 12) & 0x3) << 4;
        boolean mset = (cdw10 & (1 << 4)) != 0;
        int pi = (cdw10 >>> 5) & 0x7;
        int ses = (cdw10 >>> 9) & 0x7;
        if (ses > 2) {
            return Status.INVALID_FIELD | DNR;
        }
        if (pi != 0) {
            return Status.INVALID_FORMAT | DNR; // no protection information
        }
        int nsid = c.nsid();
        if (nsid == -1) {
            for (int id : ctrl.namespaceIds()) {
                if (index >= ctrl.namespace(id).formats.size()) {
                    return Status.INVALID_FORMAT | DNR;
                }
            }
            for (int id : ctrl.namespaceIds()) {
                ctrl.formatNamespace(ctrl.namespace(id), index, mset);
            }
            return Status.SUCCESS;
        }
        EmulatedNamespace ns = ctrl.namespace(nsid);
        if (ns == null) {
            return Status.INVALID_NS | DNR;
        }
        if (index >= ns.formats.size()) {
            return Status.INVALID_FORMAT | DNR;
        }
        ctrl.formatNamespace(ns, index, mset);
        return Status.SUCCESS;
    }

    private int sanitize(Command c) {
        int sanact = c.cdw(10) & 0x7;
        switch (sanact) {
            case 1 -> { // exit failure mode
            }
            case 2, 4 -> ctrl.sanitizeAll(); // block erase, crypto erase
            default -> {
                return Status.INVALID_FIELD | DNR; // overwrite is not in SANICAP
            }
        }
        return Status.SUCCESS;
    }

    private int firmwareDownload(Command c) {
        long bytes = ((c.cdw(10) & 0xFFFFFFFFL) + 1) * 4;
        long offset = (c.cdw(11) & 0xFFFFFFFFL) * 4;
        if (bytes != c.length || offset + bytes > MAX_FIRMWARE_IMAGE) {
            return Status.INVALID_FIELD | DNR;
        }
        ctrl.storeFirmwareChunk((int) offset, c.in());
        return Status.SUCCESS;
    }

    private int firmwareCommit(Command c) {
        int slot = c.cdw(10) & 0x7;
        int action = (c.cdw(10) >>> 3) & 0x7;
        if (slot == 0) {
            slot = 2;
        }
        if (slot > FIRMWARE_SLOTS || action > 3) {
            return Status.FIRMWARE_SLOT | DNR;
        }
        boolean replaces = action != 2;
        if (replaces && slot == 1) {
            return Status.FIRMWARE_SLOT | DNR; // slot 1 is read only (FRMW bit 0)
        }
        return ctrl.commitFirmware(slot, action, replaces);
    }

    // ---- Vendor specific

    private int vendorStore(Command c) {
        byte[] in = c.in();
        ctrl.adminScratch = in;
        c.result = crc32c(in);
        return Status.SUCCESS;
    }

    private int vendorFetch(Command c) {
        byte[] scratch = ctrl.adminScratch;
        byte key = (byte) c.cdw(12);
        byte[] out = new byte[scratch.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (scratch[i] ^ key);
        }
        c.out(out);
        c.result = scratch.length;
        return Status.SUCCESS;
    }

    static int crc32c(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b);
        return (int) crc.getValue();
    }

    static String revision(byte[] image) {
        int n = Math.min(8, image.length);
        String s = new String(image, 0, n, StandardCharsets.US_ASCII).trim();
        return s.isEmpty() || !s.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F) ? "EMU-NEW" : s;
    }
}
