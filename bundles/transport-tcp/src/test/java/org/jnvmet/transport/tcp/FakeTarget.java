package org.jnvmet.transport.tcp;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.NvmeRequest.Direction;
import org.jnvmet.spi.transport.PortAddress;
import org.jnvmet.spi.transport.QueueSession;
import org.jnvmet.spi.transport.TargetEndpoint;
import org.jnvmet.spi.transport.TransportQueue;

/**
 * A minimal stand-in for the core behind one port: Fabrics Connect, Identify (4 KiB pattern), and Read/Write/Flush
 * on a RAM namespace of 512-byte blocks. Follows the core's contract: init decides the transfer from the SGL
 * length, execute completes (optionally from another thread), the completer sets SQHD and hands the request back
 * to the transport.
 */
final class FakeTarget implements TargetEndpoint {
    static final int BLOCK = 512;
    static final int OP_FLUSH = 0x00;
    static final int OP_WRITE = 0x01;
    static final int OP_READ = 0x02;
    static final int OP_IDENTIFY = 0x06;
    static final int OP_FABRICS = 0x7F;

    private final PortAddress port;
    private final byte[] media;
    private final ExecutorService executor;
    final AtomicInteger openQueues = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    final AtomicInteger executed = new AtomicInteger();

    /** @param executor runs I/O commands off the event loop; null to complete them inline */
    FakeTarget(PortAddress port, int mediaBytes, ExecutorService executor) {
        this.port = port;
        this.media = new byte[mediaBytes];
        this.executor = executor;
    }

    @Override
    public PortAddress port() {
        return port;
    }

    @Override
    public QueueSession openQueue(TransportQueue queue) {
        openQueues.incrementAndGet();
        return new Session(queue);
    }

    static byte identifyByte(int i) {
        return (byte) (i * 7 + 3);
    }

    private final class Session implements QueueSession {
        private final TransportQueue queue;
        private volatile int queueSize;
        private volatile boolean sqFlowDisabled;
        private int sqHead;

        Session(TransportQueue queue) {
            this.queue = queue;
        }

        private void completed(NvmeRequest r) {
            synchronized (this) {
                sqHead = queueSize == 0 ? 0 : (sqHead + 1) % queueSize;
                r.setSqHead(sqFlowDisabled ? 0xFFFF : sqHead);
            }
            queue.sendResponse(r);
        }

        @Override
        public boolean init(NvmeRequest r) {
            r.setCompleter(this::completed);
            int sglLength = (int) SglDescriptor.length(r.sqe());
            int opcode = r.opcode();
            if (queueSize == 0 && opcode != OP_FABRICS) {
                r.complete(Status.CMD_SEQ_ERROR | Status.DNR);
                return false;
            }
            switch (opcode) {
                case OP_FABRICS:
                    r.setTransfer(Direction.HOST_TO_CONTROLLER, sglLength);
                    return true;
                case OP_IDENTIFY:
                    r.setTransfer(Direction.CONTROLLER_TO_HOST, sglLength);
                    return true;
                case OP_FLUSH:
                    return true;
                case OP_WRITE:
                case OP_READ:
                    long slba = r.cdw(10) & 0xFFFFFFFFL | (long) r.cdw(11) << 32;
                    int len = ((r.cdw(12) & 0xFFFF) + 1) * BLOCK;
                    if (len != sglLength) {
                        r.complete(Status.SGL_INVALID_DATA | Status.DNR);
                        return false;
                    }
                    if (slba < 0 || (slba * BLOCK) + len > media.length) {
                        r.complete(Status.LBA_RANGE | Status.DNR);
                        return false;
                    }
                    r.setTransfer(opcode == OP_WRITE ? Direction.HOST_TO_CONTROLLER : Direction.CONTROLLER_TO_HOST,
                            len);
                    return true;
                default:
                    r.complete(Status.INVALID_OPCODE | Status.DNR);
                    return false;
            }
        }

        @Override
        public void execute(NvmeRequest r) {
            executed.incrementAndGet();
            if (r.opcode() == OP_FABRICS) {
                ByteBuf sqe = r.sqe();
                queueSize = sqe.getUnsignedShortLE(44) + 1;
                sqFlowDisabled = (sqe.getUnsignedByte(46) & 0x04) != 0;
                sqHead = 0;
                r.complete(Status.SUCCESS, 1);   // cntlid 1
                return;
            }
            if (r.opcode() == OP_IDENTIFY) {
                byte[] id = new byte[r.transferLength()];
                for (int i = 0; i < id.length; i++) {
                    id[i] = identifyByte(i);
                }
                r.data().writeBytes(id);
                r.complete(Status.SUCCESS);
                return;
            }
            if (executor != null) {
                executor.execute(() -> runIo(r));
            } else {
                runIo(r);
            }
        }

        private void runIo(NvmeRequest r) {
            if (r.opcode() != OP_FLUSH) {
                int off = (int) ((r.cdw(10) & 0xFFFFFFFFL) * BLOCK);
                ByteBuf d = r.data();
                synchronized (media) {
                    if (r.opcode() == OP_WRITE) {
                        d.getBytes(d.readerIndex(), media, off, r.transferLength());
                    } else {
                        d.writeBytes(media, off, r.transferLength());
                    }
                }
            }
            r.complete(Status.SUCCESS);
        }

        @Override
        public void disconnected() {
            disconnects.incrementAndGet();
        }

        @Override
        public int queueSize() {
            return queueSize;
        }

        @Override
        public boolean sqFlowControlDisabled() {
            return sqFlowDisabled;
        }
    }
}
