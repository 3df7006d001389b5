package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import org.jnvmet.core.internal.passthru.IdentifyFixups;
import org.jnvmet.core.internal.passthru.PassthruDecision;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.GetLogPageCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.transport.NvmeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands of passthru controllers (Linux {@code nvmet_parse_passthru_admin_cmd}, {@code _io_cmd},
 * {@code nvmet_passthru_execute_cmd}): the subsystem's {@link org.jnvmet.core.internal.passthru.PassthruPolicy}
 * decides, local commands go to the ordinary handlers, the rest to the device with the status and DW0 it returns.
 * Nothing here blocks or allocates per I/O; the device's own threads run the commands.
 */
final class PassthruDispatch {
    private static final Logger LOG = LoggerFactory.getLogger(PassthruDispatch.class);
    static final String LOOP_TRTYPE = "loop";

    private PassthruDispatch() {
    }

    /** Admin commands after the controller status check. */
    static int parseAdmin(Controller c, NvmeRequest req, CommandContext ctx) {
        PassthruBinding b = c.passthru;
        PassthruBinding.Settings settings = b.settings();
        PassthruDecision d = settings.policy().admin(req.sqe());
        switch (d.disposition()) {
            case REJECT:
                return ctx.fail(d.status(), d.errorLocation());
            case LOCAL:
                return parseLocalAdmin(req, ctx);
            default:
                ctx.handler = CommandContext.PASSTHRU_ADMIN;
                ctx.passthru = b;
                ctx.passthruSettings = settings;
                ctx.passthruDecision = d;
                logOptIn(c, req);
                return 0;
        }
    }

    /** The commands a passthru controller answers itself: AER, Keep Alive and features 07h/0Bh/0Fh/81h. */
    private static int parseLocalAdmin(NvmeRequest req, CommandContext ctx) {
        switch (req.opcode()) {
            case AdminOpcode.ASYNC_EVENT_REQUEST -> ctx.handler = CommandContext.ASYNC_EVENT;
            case AdminOpcode.KEEP_ALIVE -> ctx.handler = CommandContext.KEEP_ALIVE;
            case AdminOpcode.SET_FEATURES -> ctx.handler = CommandContext.SET_FEATURES;
            case AdminOpcode.GET_FEATURES -> ctx.handler = CommandContext.GET_FEATURES;
            default -> {
                return ctx.fail(Status.INVALID_OPCODE | Status.DNR, ErrorLocation.OPCODE);
            }
        }
        return 0;
    }

    /** Format NVM, Sanitize and firmware commands reach the device only when opted in: each one is logged. */
    private static void logOptIn(Controller c, NvmeRequest req) {
        String what = switch (req.opcode()) {
            case AdminOpcode.FORMAT_NVM -> "Format NVM";
            case AdminOpcode.SANITIZE -> "Sanitize";
            case AdminOpcode.FIRMWARE_DOWNLOAD -> "Firmware Image Download";
            case AdminOpcode.FIRMWARE_COMMIT -> "Firmware Commit";
            default -> null;
        };
        if (what != null) {
            LOG.warn("passthru {}: host {} (controller {}) sends {} (nsid {}, cdw10 0x{}) to {}", c.subsystem.nqn,
                    c.hostNqn, c.cntlid, what, Integer.toUnsignedString(req.nsid()),
                    Integer.toHexString(req.cdw(10)), c.passthru.device.name());
        }
    }

    /** I/O commands after the controller status check: no namespace lookup, the NSID goes to the device as is. */
    static int parseIo(Controller c, NvmeRequest req, CommandContext ctx) {
        PassthruBinding b = c.passthru;
        PassthruBinding.Settings settings = b.settings();
        PassthruDecision d = settings.policy().io(req.sqe());
        if (!d.forwards()) {
            // reservations (and flags other than PSDT, which the queue refused already)
            return ctx.fail(d.status(), d.errorLocation());
        }
        ctx.handler = CommandContext.PASSTHRU_IO;
        ctx.passthru = b;
        ctx.passthruSettings = settings;
        ctx.passthruDecision = d;
        return 0;
    }

    static void executeIo(FabricsQueue queue, Controller c, NvmeRequest req, CommandContext ctx) {
        PassthruBinding b = ctx.passthru;
        if (b.removed()) {
            req.complete(Status.INTERNAL | Status.DNR);
            return;
        }
        prepareOutput(queue, req);
        startAccounting(b, req, ctx);
        ctx.passthruSettings.forwarder().io(req, ctx);
    }

    static void executeAdmin(FabricsQueue queue, Controller c, NvmeRequest req, CommandContext ctx) {
        PassthruBinding b = ctx.passthru;
        if (b.removed()) {
            req.complete(Status.INTERNAL | Status.DNR);
            return;
        }
        prepareOutput(queue, req);
        ByteBuf sqe = req.sqe();
        IdentifyFixups.ControllerContext id = null;
        if (req.opcode() == AdminOpcode.GET_LOG_PAGE) {
            unmaskOnLogRead(c, sqe);
        } else if (req.opcode() == AdminOpcode.IDENTIFY && IdentifyCommand.cns(sqe) == IdentifyCns.CONTROLLER) {
            id = new IdentifyFixups.ControllerContext(c.cntlid, b.version, b.mdts, c.mqes() + 1, c.subsystem.nqn,
                    queue.transport.inlineDataSize(), false, queue.transport.maxSglDescriptors());
        }
        PassthruBinding.Settings settings = ctx.passthruSettings;
        // nvme-loop shares the host's namespaces: Linux forces clear_ids there so the export cannot collide
        boolean clearIds = settings.spec().clearIds() || LOOP_TRTYPE.equals(c.port.spec.address().trtype());
        settings.forwarder().admin(req, ctx.passthruDecision, id, clearIds, ctx);
    }

    /**
     * The device's logs stand in for the target's: reading the SMART / Health or Changed Namespace List log
     * without RAE re-arms the forwarded events of that kind. Done before the device reads the log, so an event
     * that arrives meanwhile is reported again rather than lost.
     */
    private static void unmaskOnLogRead(Controller c, ByteBuf sqe) {
        if (GetLogPageCommand.rae(sqe)) {
            return;
        }
        switch (GetLogPageCommand.lid(sqe)) {
            case LogPageId.SMART_HEALTH -> c.clearAenBit(Controller.AEN_MASK_SMART);
            case LogPageId.CHANGED_NAMESPACE_LIST -> c.clearAenBit(Controller.AEN_BIT_NS_ATTR);
            default -> {
            }
        }
    }

    /** A controller-to-host command needs a buffer the device writes at its writer index. */
    private static void prepareOutput(FabricsQueue queue, NvmeRequest req) {
        int len = req.transferLength();
        if (len > 0 && req.data() == null && req.direction() == NvmeRequest.Direction.CONTROLLER_TO_HOST) {
            req.setData(queue.transport.allocator().buffer(len, len));
        }
    }

    /**
     * Counts the I/O on the device namespace, as Linux's passthru block accounting would on nvmeXnY: the data
     * length in sectors; Flush and Dataset Management in their own groups, anything else by its data direction
     * (opcode bit 0), vendor commands included.
     */
    private static void startAccounting(PassthruBinding b, NvmeRequest req, CommandContext ctx) {
        PassthruNamespaces.Entry ns = b.namespaces.find(req.nsid());
        if (ns == null) {
            return;
        }
        DeviceCounters counters = ns.counters;
        if (counters == null) {
            return;
        }
        int opcode = req.opcode();
        DeviceCounters.Op op;
        if (opcode == NvmOpcode.FLUSH) {
            op = DeviceCounters.Op.FLUSH;
        } else if (opcode == NvmOpcode.DATASET_MANAGEMENT) {
            op = DeviceCounters.Op.DISCARD;
        } else if (AdminOpcode.transfersHostToController(opcode)) {
            op = DeviceCounters.Op.WRITE;
        } else {
            op = DeviceCounters.Op.READ;
        }
        ctx.passthruNs = ns;
        ctx.counters = counters;
        ctx.op = op;
        ctx.sectors = op == DeviceCounters.Op.DISCARD || op == DeviceCounters.Op.FLUSH ? 0
                : (req.transferLength() & 0xFFFFFFFFL) >>> 9;
        ctx.startNanos = counters.start(op);
    }

    /** Accounting of a finished passthru I/O. */
    static void finish(Controller c, CommandContext ctx, int status) {
        PassthruNamespaces.Entry ns = ctx.passthruNs;
        ctx.passthruNs = null;
        DeviceCounters counters = ctx.counters;
        if (counters != null && c != null) {
            counters.end(ctx.op, ctx.sectors, ctx.startNanos, status != 0, c.session(ns, counters));
        }
    }

    /**
     * The status a host sees for a device completion: the device's unchanged, an errno as Internal Error
     * (Linux), with DNR once the controller is gone since no retry can succeed.
     */
    static int hostStatus(PassthruBinding b, int status) {
        if (status >= 0) {
            return status;
        }
        return b != null && b.removed() ? Status.INTERNAL | Status.DNR : Status.INTERNAL;
    }
}
