package org.jnvmet.transport.loop;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jnvmet.api.PortSpec;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.PortAddress;
import org.jnvmet.spi.transport.QueueSession;
import org.jnvmet.spi.transport.TargetEndpoint;
import org.jnvmet.spi.transport.TransportQueue;

/**
 * A stand-in for the core behind a loop port: opcode 01h writes (host to controller), 02h reads (controller to
 * host, filled with a pattern), anything at or above F0h is rejected in init; the transfer length comes from the
 * SGL. How commands complete is up to the test ({@link #completeOn}).
 */
final class FakeCore implements TargetEndpoint {
    static final int OP_WRITE = 0x01;
    static final int OP_READ = 0x02;
    static final int OP_HOLD = 0x10;
    static final int OP_REJECT = 0xF0;
    static final int REJECT_STATUS = Status.INVALID_OPCODE | Status.DNR;

    final PortAddress port = PortSpec.loop(7, List.of()).address();
    final List<Session> sessions = new CopyOnWriteArrayList<>();
    final Set<NvmeRequest> requestsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final List<NvmeRequest> held = new CopyOnWriteArrayList<>();
    final ExecutorService backend = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-backend"));
    volatile boolean async;
    volatile Consumer<NvmeRequest> onWrite = r -> { };

    /** Complete on the fake backend thread instead of inline. */
    void completeOn(boolean backendThread) {
        this.async = backendThread;
    }

    @Override
    public QueueSession openQueue(TransportQueue queue) {
        Session s = new Session(queue);
        sessions.add(s);
        return s;
    }

    @Override
    public PortAddress port() {
        return port;
    }

    final class Session implements QueueSession {
        final TransportQueue queue;
        final AtomicInteger disconnects = new AtomicInteger();
        final AtomicInteger executing = new AtomicInteger();
        volatile boolean overlapped;
        volatile Thread lastThread;

        Session(TransportQueue queue) {
            this.queue = queue;
        }

        @Override
        public boolean init(NvmeRequest request) {
            requestsSeen.add(request);
            int opcode = request.opcode();
            if (opcode >= OP_REJECT) {
                request.complete(REJECT_STATUS, 0xDEAD);
                return false;
            }
            int length = (int) SglDescriptor.length(request.sqe());
            switch (opcode) {
                case OP_WRITE -> request.setTransfer(NvmeRequest.Direction.HOST_TO_CONTROLLER, length);
                case OP_READ -> request.setTransfer(NvmeRequest.Direction.CONTROLLER_TO_HOST, length);
                default -> request.setTransfer(NvmeRequest.Direction.NONE, 0);
            }
            return true;
        }

        @Override
        public void execute(NvmeRequest request) {
            if (executing.incrementAndGet() > 1) {
                overlapped = true;
            }
            lastThread = Thread.currentThread();
            try {
                switch (request.opcode()) {
                    case OP_WRITE -> onWrite.accept(request);
                    case OP_READ -> {
                        ByteBuf data = request.data();
                        for (int i = 0; i < request.transferLength(); i++) {
                            data.writeByte(i * 7 + 3);
                        }
                    }
                    case OP_HOLD -> {
                        held.add(request);
                        return;
                    }
                    default -> {
                    }
                }
                finish(request);
            } finally {
                executing.decrementAndGet();
            }
        }

        void finish(NvmeRequest request) {
            request.setSqHead(request.cid() + 1);
            if (async) {
                backend.execute(() -> request.complete(Status.SUCCESS, 0x1234_5678_9ABCL));
            } else {
                request.complete(Status.SUCCESS, 0x1234_5678_9ABCL);
            }
        }

        @Override
        public void disconnected() {
            disconnects.incrementAndGet();
        }

        @Override
        public int queueSize() {
            return 0;
        }

        @Override
        public boolean sqFlowControlDisabled() {
            return false;
        }
    }
}
