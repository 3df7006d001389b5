package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.TreeMap;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.AsymmetricNamespaceAccessLog;
import org.jnvmet.protocol.nvme.CommandsSupportedAndEffectsLog;
import org.jnvmet.protocol.nvme.GetLogPageCommand;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.SmartHealthLog;
import org.jnvmet.protocol.nvme.SupportedLogPagesLog;
import org.jnvmet.spi.transport.NvmeRequest;

/**
 * Log pages of I/O controllers, as nvmet_execute_get_log_page writes them. Like Linux, these logs always start at
 * offset 0 (LPO is only honoured by the discovery log); output beyond a log's size stays zero.
 */
final class LogPages {
    static final int[] SUPPORTED = {LogPageId.SUPPORTED_LOG_PAGES, LogPageId.ERROR_INFORMATION,
        LogPageId.SMART_HEALTH, LogPageId.FIRMWARE_SLOT, LogPageId.CHANGED_NAMESPACE_LIST,
        LogPageId.COMMANDS_SUPPORTED_AND_EFFECTS, LogPageId.ASYMMETRIC_NAMESPACE_ACCESS};

    private LogPages() {
    }

    static void write(Controller c, NvmeRequest req, ByteBuf out, int base) {
        ByteBuf sqe = req.sqe();
        int len = req.transferLength();
        switch (GetLogPageCommand.lid(sqe)) {
            case LogPageId.SUPPORTED_LOG_PAGES -> {
                for (int lid : SUPPORTED) {
                    out.setIntLE(base + SupportedLogPagesLog.entry(lid), SupportedLogPagesLog.LSUPP);
                }
            }
            case LogPageId.ERROR_INFORMATION -> c.errorLog().write(out, base, len);
            case LogPageId.SMART_HEALTH -> smart(c, req.nsid(), out, base);
            case LogPageId.CHANGED_NAMESPACE_LIST -> {
                int[] list = new int[Controller.MAX_CHANGED_NAMESPACES];
                int n = c.takeChangedNamespaces(list);
                for (int i = 0; i < n; i++) {
                    out.setIntLE(base + i * 4, list[i]);
                }
                if (!GetLogPageCommand.rae(sqe)) {
                    c.clearAenBit(Controller.AEN_BIT_NS_ATTR);
                }
            }
            case LogPageId.COMMANDS_SUPPORTED_AND_EFFECTS -> effects(out, base);
            case LogPageId.ASYMMETRIC_NAMESPACE_ACCESS -> {
                ana(c, (GetLogPageCommand.lsp(sqe) & AsymmetricNamespaceAccessLog.LSP_RGO) != 0, out, base, len);
                if (!GetLogPageCommand.rae(sqe)) {
                    c.clearAenBit(Controller.AEN_BIT_ANA_CHANGE);
                }
            }
            default -> {
                // Firmware slot: one read-only slot that is always active, so all zeroes (as Linux).
            }
        }
    }

    /** SMART / Health: the I/O the core counted for one namespace or the whole subsystem. */
    static void smart(Controller c, int nsid, ByteBuf out, int base) {
        long reads = 0;
        long writes = 0;
        long unitsRead = 0;
        long unitsWritten = 0;
        if (nsid == AdminCommands.NSID_ALL) {
            for (Namespace ns : c.subsystem.activeNamespaces()) {
                reads += ns.readCommands.sum();
                writes += ns.writeCommands.sum();
                unitsRead += SmartHealthLog.dataUnits(ns.sectorsRead.sum());
                unitsWritten += SmartHealthLog.dataUnits(ns.sectorsWritten.sum());
            }
        } else {
            Namespace ns = c.subsystem.findActive(nsid);
            if (ns != null) {
                reads = ns.readCommands.sum();
                writes = ns.writeCommands.sum();
                unitsRead = SmartHealthLog.dataUnits(ns.sectorsRead.sum());
                unitsWritten = SmartHealthLog.dataUnits(ns.sectorsWritten.sum());
            }
        }
        SmartHealthLog.set128(out, base + SmartHealthLog.HOST_READ_COMMANDS, reads);
        SmartHealthLog.set128(out, base + SmartHealthLog.DATA_UNITS_READ, unitsRead);
        SmartHealthLog.set128(out, base + SmartHealthLog.HOST_WRITE_COMMANDS, writes);
        SmartHealthLog.set128(out, base + SmartHealthLog.DATA_UNITS_WRITTEN, unitsWritten);
        SmartHealthLog.set128(out, base + SmartHealthLog.NUMBER_OF_ERROR_LOG_ENTRIES, c.errorLog().counter());
    }

    /** Commands Supported and Effects for the NVM command set: exactly the commands this core executes. */
    static void effects(ByteBuf out, int base) {
        int supported = CommandsSupportedAndEffectsLog.CSUPP;
        for (int op : new int[] {AdminOpcode.GET_LOG_PAGE, AdminOpcode.IDENTIFY, AdminOpcode.ABORT,
            AdminOpcode.SET_FEATURES, AdminOpcode.GET_FEATURES, AdminOpcode.ASYNC_EVENT_REQUEST,
            AdminOpcode.KEEP_ALIVE}) {
            out.setIntLE(base + CommandsSupportedAndEffectsLog.ACS + op * 4, supported);
        }
        for (int op : new int[] {NvmOpcode.READ, NvmOpcode.FLUSH, NvmOpcode.DATASET_MANAGEMENT, NvmOpcode.COMPARE}) {
            out.setIntLE(base + CommandsSupportedAndEffectsLog.IOCS + op * 4, supported);
        }
        int changes = supported | CommandsSupportedAndEffectsLog.LBCC;
        out.setIntLE(base + CommandsSupportedAndEffectsLog.IOCS + NvmOpcode.WRITE * 4, changes);
        out.setIntLE(base + CommandsSupportedAndEffectsLog.IOCS + NvmOpcode.WRITE_ZEROES * 4, changes);
    }

    /**
     * ANA log: one descriptor per ANA group in use target-wide (group 1 always), each listing this subsystem's
     * namespaces in the group; every group is optimized. Truncated to the requested length.
     */
    static void ana(Controller c, boolean groupsOnly, ByteBuf out, int base, int len) {
        Map<Integer, Integer> groups = new TreeMap<>();
        for (int g : c.engine.anaGroupsInUse()) {
            groups.put(g, 0);
        }
        int off = AsymmetricNamespaceAccessLog.HEADER_SIZE;
        for (int g : groups.keySet()) {
            int count = 0;
            int nsids = off + AsymmetricNamespaceAccessLog.DESC_NSIDS;
            if (!groupsOnly) {
                for (Namespace ns : c.subsystem.activeNamespaces()) {
                    if (ns.spec.anaGroupId() == g) {
                        if (nsids + count * 4 + 4 <= len) {
                            out.setIntLE(base + nsids + count * 4, ns.nsid);
                        }
                        count++;
                    }
                }
            }
            if (off + AsymmetricNamespaceAccessLog.DESC_SIZE <= len) {
                out.setIntLE(base + off + AsymmetricNamespaceAccessLog.DESC_GROUP_ID, g);
                out.setIntLE(base + off + AsymmetricNamespaceAccessLog.DESC_NUMBER_OF_NSIDS, count);
                out.setLongLE(base + off + AsymmetricNamespaceAccessLog.DESC_CHANGE_COUNT, 0);
                out.setByte(base + off + AsymmetricNamespaceAccessLog.DESC_STATE,
                        AsymmetricNamespaceAccessLog.STATE_OPTIMIZED);
            }
            off += AsymmetricNamespaceAccessLog.DESC_SIZE + count * 4;
        }
        if (len >= AsymmetricNamespaceAccessLog.HEADER_SIZE) {
            out.setLongLE(base + AsymmetricNamespaceAccessLog.CHANGE_COUNT, 0);
            out.setShortLE(base + AsymmetricNamespaceAccessLog.NUMBER_OF_GROUPS, groups.size());
        }
    }
}
