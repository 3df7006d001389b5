package org.jnvmet.core.internal.passthru;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.jnvmet.protocol.nvme.DatasetManagement;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.passthru.DeviceCompletion;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.spi.transport.NvmeRequest;

/**
 * Executes the commands {@link PassthruPolicy} sends to the device: submits them with the subsystem's timeouts,
 * applies {@link IdentifyFixups} to Identify data, performs the Host Behavior Support comparison, and completes the
 * request with the device's status (an errno as Internal Error) and DW0. Never blocks the calling thread.
 */
public final class PassthruForwarder {
    /** Host Behavior Support data (NVMe Base 2.0, Figure 351). */
    static final int HOST_BEHAVIOR_SIZE = 512;

    private final NvmeDevice device;
    private final PassthruSpec spec;
    private final ByteBufAllocator alloc;

    public PassthruForwarder(NvmeDevice device, PassthruSpec spec, ByteBufAllocator alloc) {
        this.device = device;
        this.spec = spec;
        this.alloc = alloc;
    }

    public NvmeDevice device() {
        return device;
    }

    /**
     * Runs an admin command whose decision is {@link PassthruDecision.Disposition#FORWARD},
     * {@link PassthruDecision.Disposition#FORWARD_IDENTIFY_FIXUP} or
     * {@link PassthruDecision.Disposition#HOST_BEHAVIOR_CHECK}. The request's data is in place (write data
     * received, or a buffer to read into) and its transfer length set. Completes the request itself.
     *
     * @param ctx the controller's identity for Identify Controller fix-ups
     */
    public void admin(NvmeRequest req, PassthruDecision decision, IdentifyFixups.ControllerContext ctx) {
        admin(req, decision, ctx, spec.clearIds(),
                (status, result) -> req.complete(DeviceCompletion.toNvmeStatus(status), result));
    }

    /**
     * {@link #admin(NvmeRequest, PassthruDecision, IdentifyFixups.ControllerContext)} reporting to {@code done}
     * (which receives the device's status, possibly an errno, and DW0).
     *
     * @param ctx      the controller's identity; needed for Identify Controller only
     * @param clearIds clear_ids in force for this request (the loop transport forces it on)
     */
    public void admin(NvmeRequest req, PassthruDecision decision, IdentifyFixups.ControllerContext ctx,
            boolean clearIds, DeviceCompletion done) {
        switch (decision.disposition()) {
            case FORWARD -> device.submitAdmin(req.sqe(), req.data(), req.transferLength(), spec.adminTimeoutMs(),
                    done);
            case FORWARD_IDENTIFY_FIXUP -> identify(req, ctx, clearIds, done);
            case HOST_BEHAVIOR_CHECK -> hostBehavior(req, done);
            default -> throw new IllegalArgumentException("not a forwarded admin command: " + decision);
        }
    }

    /** Runs an I/O command whose decision is {@link PassthruDecision.Disposition#FORWARD}. */
    public void io(NvmeRequest req) {
        io(req, (status, result) -> req.complete(DeviceCompletion.toNvmeStatus(status), result));
    }

    /** {@link #io(NvmeRequest)} reporting to {@code done}: nothing is allocated per command. */
    public void io(NvmeRequest req, DeviceCompletion done) {
        device.submitIo(req.sqe(), req.data(), deviceLength(req), spec.ioTimeoutMs(), done);
    }

    /**
     * The Linux host sends Dataset Management ranges in a whole page. The device gets only the NR ranges it reads:
     * a 4 KiB slice of a pooled buffer usually straddles a page, and QEMU's controller fails a DSM whose SGL runs past
     * its ranges (seen as 0x400F on mkfs's discards through a passthru export).
     */
    private static int deviceLength(NvmeRequest req) {
        if (req.opcode() == NvmOpcode.DATASET_MANAGEMENT) {
            int needed = DatasetManagement.ranges(req.sqe()) * DatasetManagement.RANGE_SIZE;
            return Math.min(req.transferLength(), needed);
        }
        return req.transferLength();
    }

    private void identify(NvmeRequest req, IdentifyFixups.ControllerContext ctx, boolean clearIds,
            DeviceCompletion done) {
        ByteBuf data = req.data();
        int length = req.transferLength();
        int start = data == null ? 0 : data.writerIndex();
        int cns = IdentifyCommand.cns(req.sqe());
        device.submitAdmin(req.sqe(), data, length, spec.adminTimeoutMs(), (status, result) -> {
            if (status == Status.SUCCESS && length > 0) {
                ByteBuf id = data.slice(start, Math.min(length, IdentifyCns.DATA_SIZE));
                switch (cns) {
                    case IdentifyCns.CONTROLLER -> IdentifyFixups.controller(id, ctx);
                    case IdentifyCns.NAMESPACE -> IdentifyFixups.namespace(id, clearIds);
                    case IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST -> IdentifyFixups.descriptors(id, clearIds);
                    default -> {
                    }
                }
            }
            done.complete(status, result);
        });
    }

    /**
     * nvmet_passthru_set_host_behaviour: the device is shared with the local host, so a remote host may only "set"
     * the behaviour already in force; anything else is Internal Error, as is a failing Get Features.
     */
    private void hostBehavior(NvmeRequest req, DeviceCompletion done) {
        ByteBuf wanted = req.data();
        if (wanted == null || req.transferLength() < HOST_BEHAVIOR_SIZE
                || wanted.readableBytes() < HOST_BEHAVIOR_SIZE) {
            done.complete(Status.SGL_INVALID_DATA | Status.DNR, 0); // nvmet_copy_from_sgl of 512 bytes failed
            return;
        }
        ByteBuf sqe = alloc.buffer(SubmissionQueueEntry.SIZE);
        ByteBuf current = alloc.directBuffer(HOST_BEHAVIOR_SIZE);
        sqe.writeZero(SubmissionQueueEntry.SIZE);
        FeaturesCommand.setGet(sqe, FeatureId.HOST_BEHAVIOR_SUPPORT, 0);
        device.submitAdmin(sqe, current, HOST_BEHAVIOR_SIZE, spec.adminTimeoutMs(), (status, result) -> {
            int out;
            if (status != Status.SUCCESS || current.readableBytes() < HOST_BEHAVIOR_SIZE) {
                out = Status.INTERNAL;
            } else {
                boolean same = ByteBufUtil.equals(current, current.readerIndex(), wanted, wanted.readerIndex(),
                        HOST_BEHAVIOR_SIZE);
                out = same ? Status.SUCCESS : Status.INTERNAL;
            }
            sqe.release();
            current.release();
            done.complete(out, 0);
        });
    }
}
