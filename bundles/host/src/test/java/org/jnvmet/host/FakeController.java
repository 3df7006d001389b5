package org.jnvmet.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnvmet.host.spi.HostCompletion;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.host.spi.HostTransport;
import org.jnvmet.protocol.fabrics.ConnectData;
import org.jnvmet.protocol.fabrics.FabricsCommandType;
import org.jnvmet.protocol.fabrics.PropertyGetCommand;
import org.jnvmet.protocol.fabrics.PropertySetCommand;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.IdentifyNamespace;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/**
 * A scripted controller behind a fake transport, enough for the host library's own tests: it records every
 * command, answers the bring-up sequence, and lets a test hold commands and complete them in any order.
 */
class FakeController implements HostTransport {
    static final int CNTLID = 0x2A;
    static final long CAP = 127 | 15L << 24 | 1L << 37;
    static final int VS = 0x00010400;

    /** A command as the fake target received it. */
    record Received(int qid, ByteBuf sqe, ByteBuf dataOut, ByteBuf dataIn, HostCompletion callback) {
        int opcode() {
            return SubmissionQueueEntry.opcode(sqe);
        }

        int cid() {
            return SubmissionQueueEntry.cid(sqe);
        }

        void complete(int status, long result) {
            callback.completed(result, 0, status);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<Received> held = new CopyOnWriteArrayList<>();
    final List<Queue> queues = new CopyOnWriteArrayList<>();
    final AtomicInteger keepAlives = new AtomicInteger();
    volatile boolean holdIo;
    volatile int cc;
    volatile int grantedQueues = 4;

    @Override
    public HostQueue openQueue(int qid, int queueSize) {
        Queue q = new Queue(qid, queueSize);
        queues.add(q);
        return q;
    }

    @Override
    public void close() {
        queues.forEach(Queue::close);
    }

    /** What the controller does with one command; returns false to hold it for the test. */
    boolean handle(Received r) {
        int opcode = r.opcode();
        if (r.qid() > 0 && opcode != AdminOpcode.FABRICS) {
            if (holdIo) {
                return false;
            }
            if (r.dataIn() != null) {
                r.dataIn().writeZero(r.dataIn().writableBytes());
            }
            r.complete(Status.SUCCESS, 0);
            return true;
        }
        switch (opcode) {
            case AdminOpcode.FABRICS -> fabrics(r);
            case AdminOpcode.IDENTIFY -> identify(r);
            case AdminOpcode.SET_FEATURES -> {
                if (FeaturesCommand.fid(r.sqe()) == FeatureId.NUMBER_OF_QUEUES) {
                    int n = grantedQueues - 1;
                    r.complete(Status.SUCCESS, n | n << 16);
                } else {
                    r.complete(Status.INVALID_FIELD | Status.DNR, 0);
                }
            }
            case AdminOpcode.KEEP_ALIVE -> {
                keepAlives.incrementAndGet();
                r.complete(Status.SUCCESS, 0);
            }
            case AdminOpcode.ASYNC_EVENT_REQUEST -> {
                return false;
            }
            default -> r.complete(Status.INVALID_OPCODE | Status.DNR, 0);
        }
        return true;
    }

    private void fabrics(Received r) {
        switch (FabricsCommandType.fctype(r.sqe())) {
            case FabricsCommandType.CONNECT -> r.complete(Status.SUCCESS, CNTLID);
            case FabricsCommandType.PROPERTY_GET -> {
                int offset = PropertyGetCommand.offset(r.sqe());
                long value = switch (offset) {
                    case ControllerRegisters.CAP -> CAP;
                    case ControllerRegisters.VS -> VS;
                    case ControllerRegisters.CC -> cc;
                    case ControllerRegisters.CSTS -> {
                        int csts = ControllerRegisters.ccEnabled(cc) ? ControllerRegisters.CSTS_RDY : 0;
                        if (ControllerRegisters.ccShn(cc) != 0) {
                            csts = ControllerRegisters.CSTS_SHST_COMPLETE;
                        }
                        yield csts;
                    }
                    default -> -1;
                };
                r.complete(value == -1 ? Status.INVALID_FIELD | Status.DNR : Status.SUCCESS, value);
            }
            case FabricsCommandType.PROPERTY_SET -> {
                cc = (int) PropertySetCommand.value(r.sqe());
                r.complete(Status.SUCCESS, 0);
            }
            default -> r.complete(Status.INVALID_OPCODE | Status.DNR, 0);
        }
    }

    private void identify(Received r) {
        ByteBuf id = Unpooled.buffer(4096).writeZero(4096);
        switch (IdentifyCommand.cns(r.sqe())) {
            case IdentifyCns.CONTROLLER -> {
                id.setShortLE(IdentifyController.CNTLID, CNTLID);
                id.setByte(IdentifyController.MDTS, 5);
            }
            case IdentifyCns.NAMESPACE -> {
                if (SubmissionQueueEntry.nsid(r.sqe()) == 1) {
                    id.setLongLE(IdentifyNamespace.NSZE, 2048);
                    id.setByte(IdentifyNamespace.lbaf(0) + IdentifyNamespace.LBAF_LBADS, 12);
                }
            }
            default -> {
            }
        }
        r.dataIn().writeBytes(id, 0, Math.min(4096, r.dataIn().writableBytes()));
        r.complete(Status.SUCCESS, 0);
    }

    List<Received> ofOpcode(int qid, int opcode) {
        return received.stream().filter(r -> r.qid() == qid && r.opcode() == opcode).toList();
    }

    String connectSubnqn(Received r) {
        return ConnectData.subnqn(r.dataOut());
    }

    final class Queue implements HostQueue {
        final int qid;
        final int size;
        volatile boolean open = true;

        Queue(int qid, int size) {
            this.qid = qid;
            this.size = size;
        }

        @Override
        public void submit(ByteBuf sqe, ByteBuf dataOut, ByteBuf dataIn, HostCompletion callback) {
            if (!open) {
                callback.failed(new java.io.IOException("closed"));
                return;
            }
            ByteBuf copy = Unpooled.copiedBuffer(sqe.slice(sqe.readerIndex(), 64));
            Received r = new Received(qid, copy, dataOut == null ? null : Unpooled.copiedBuffer(dataOut), dataIn,
                    callback);
            received.add(r);
            if (!handle(r)) {
                held.add(r);
            }
        }

        @Override
        public int maxInlineData() {
            return 0;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            for (Received r : held) {
                if (r.qid() == qid) {
                    held.remove(r);
                    r.callback().failed(new java.io.IOException("channel closed"));
                }
            }
        }
    }
}
