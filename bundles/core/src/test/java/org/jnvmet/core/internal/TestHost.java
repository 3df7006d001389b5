package org.jnvmet.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.UUID;
import org.jnvmet.core.internal.FakeQueue.Response;
import org.jnvmet.protocol.fabrics.ConnectCommand;
import org.jnvmet.protocol.fabrics.ConnectData;
import org.jnvmet.protocol.fabrics.PropertyGetCommand;
import org.jnvmet.protocol.fabrics.PropertySetCommand;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.GetLogPageCommand;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.ReadWriteCommand;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.QueueSession;
import org.jnvmet.spi.transport.TargetEndpoint;

/** Drives one queue the way a transport does: init, supply data, execute; the response is what the host sees. */
final class TestHost {
    static final String HOSTNQN = "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555";
    static final UUID HOSTID = UUID.fromString("01234567-89ab-cdef-0123-456789abcdef");

    final FakeQueue queue;
    final QueueSession session;
    private int nextCid = 1;
    private int nextSlot;

    TestHost(TargetEndpoint endpoint) {
        this(endpoint, 16384);
    }

    TestHost(TargetEndpoint endpoint, int inline) {
        this.queue = new FakeQueue(inline);
        this.session = endpoint.openQueue(queue);
    }

    static ByteBuf sqe(int opcode) {
        ByteBuf sqe = Unpooled.buffer(SubmissionQueueEntry.SIZE, SubmissionQueueEntry.SIZE);
        sqe.writeZero(SubmissionQueueEntry.SIZE);
        SubmissionQueueEntry.setOpcode(sqe, opcode);
        SubmissionQueueEntry.setFlags(sqe, SubmissionQueueEntry.FLAGS_PSDT_SGL_MPTR_CONTIG);
        return sqe;
    }

    static void transportSgl(ByteBuf sqe, int length) {
        SglDescriptor.set(sqe, SglDescriptor.ID_TRANSPORT, 0, length);
    }

    static void inlineSgl(ByteBuf sqe, int length) {
        SglDescriptor.set(sqe, SglDescriptor.ID_INCAPSULE, 0, length);
    }

    /** Submits a command; returns its response, or null while the core holds it (an AER). */
    Response exec(ByteBuf sqe, byte[] h2c) {
        int cid = nextCid++ & 0xFFFF;
        SubmissionQueueEntry.setCid(sqe, cid);
        NvmeRequest req = new NvmeRequest(queue, nextSlot++ % 4096);
        req.reset(sqe);
        if (session.init(req)) {
            int len = req.transferLength();
            if (req.direction() == NvmeRequest.Direction.HOST_TO_CONTROLLER) {
                ByteBuf d = PooledByteBufAllocator.DEFAULT.buffer(len);
                d.writeBytes(h2c, 0, len);
                req.setData(d);
            } else if (req.direction() == NvmeRequest.Direction.CONTROLLER_TO_HOST) {
                req.setData(PooledByteBufAllocator.DEFAULT.buffer(len));
            }
            session.execute(req);
        }
        Response r = queue.responses.poll();
        if (r != null && r.cid() != cid) {
            // An earlier held command (AER) completed during this one: keep order for the caller.
            queue.responses.add(r);
            r = pollFor(cid);
        }
        return r;
    }

    private Response pollFor(int cid) {
        for (Response r : queue.responses) {
            if (r.cid() == cid) {
                queue.responses.remove(r);
                return r;
            }
        }
        return null;
    }

    Response exec(ByteBuf sqe) {
        return exec(sqe, null);
    }

    static byte[] connectData(String subnqn, String hostnqn, int cntlid) {
        ByteBuf d = Unpooled.buffer(ConnectData.SIZE);
        ConnectData.set(d, HOSTID, cntlid, subnqn, hostnqn);
        byte[] out = new byte[ConnectData.SIZE];
        d.getBytes(0, out);
        return out;
    }

    Response connect(int qid, String subnqn, String hostnqn, int sqsize, int cattr, long kato, int cntlid) {
        ByteBuf sqe = sqe(AdminOpcode.FABRICS);
        ConnectCommand.set(sqe, qid, sqsize, cattr, kato);
        inlineSgl(sqe, ConnectData.SIZE);
        return exec(sqe, connectData(subnqn, hostnqn, cntlid));
    }

    Response connectAdmin(String subnqn) {
        return connect(0, subnqn, HOSTNQN, 31, 0, 5000, ConnectData.CNTLID_DYNAMIC);
    }

    Response propertyGet(int offset, boolean eight) {
        ByteBuf sqe = sqe(AdminOpcode.FABRICS);
        PropertyGetCommand.set(sqe, offset, eight);
        return exec(sqe);
    }

    Response propertySet(int offset, long value) {
        ByteBuf sqe = sqe(AdminOpcode.FABRICS);
        PropertySetCommand.set(sqe, offset, value, false);
        return exec(sqe);
    }

    Response enable() {
        return propertySet(ControllerRegisters.CC, ControllerRegisters.ccEnableNvm());
    }

    /** Connect the admin queue and enable the controller; returns the cntlid. */
    int connectAndEnable(String subnqn) {
        Response r = connectAdmin(subnqn);
        if (r.status() != 0) {
            throw new AssertionError("connect failed: " + Integer.toHexString(r.status()));
        }
        Response e = enable();
        if (e.status() != 0) {
            throw new AssertionError("enable failed: " + Integer.toHexString(e.status()));
        }
        return (int) (r.result() & 0xFFFF);
    }

    Response identify(int cns, int nsid, int csi) {
        ByteBuf sqe = sqe(AdminOpcode.IDENTIFY);
        IdentifyCommand.set(sqe, cns, nsid, csi);
        transportSgl(sqe, 4096);
        return exec(sqe);
    }

    Response identify(int cns, int nsid) {
        return identify(cns, nsid, 0);
    }

    Response getLogPage(int lid, int nsid, int length, long offset, boolean rae) {
        ByteBuf sqe = sqe(AdminOpcode.GET_LOG_PAGE);
        GetLogPageCommand.set(sqe, lid, nsid, length, offset, rae);
        transportSgl(sqe, length);
        return exec(sqe);
    }

    Response getFeatures(int fid, int cdw11, int length) {
        ByteBuf sqe = sqe(AdminOpcode.GET_FEATURES);
        FeaturesCommand.setGet(sqe, fid, cdw11);
        transportSgl(sqe, length);
        return exec(sqe);
    }

    Response setFeatures(int fid, int cdw11) {
        ByteBuf sqe = sqe(AdminOpcode.SET_FEATURES);
        FeaturesCommand.setSet(sqe, fid, cdw11);
        return exec(sqe);
    }

    Response asyncEventRequest() {
        return exec(sqe(AdminOpcode.ASYNC_EVENT_REQUEST));
    }

    Response keepAlive() {
        return exec(sqe(AdminOpcode.KEEP_ALIVE));
    }

    Response read(int nsid, long slba, int blocks, int blockSize) {
        ByteBuf sqe = sqe(0x02);
        ReadWriteCommand.set(sqe, 0x02, nsid, slba, blocks, false);
        transportSgl(sqe, blocks * blockSize);
        return exec(sqe);
    }

    Response write(int nsid, long slba, byte[] data, int blockSize) {
        ByteBuf sqe = sqe(0x01);
        ReadWriteCommand.set(sqe, 0x01, nsid, slba, data.length / blockSize, false);
        transportSgl(sqe, data.length);
        return exec(sqe, data);
    }
}
