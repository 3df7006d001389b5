package org.jnvmet.transport.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jnvmet.host.spi.HostCompletion;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.transport.NvmeRequest;
import org.jnvmet.spi.transport.TransportListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoopTransportTest {
    private final FakeCore core = new FakeCore();
    private LoopbackTransport transport;
    private TransportListener listener;
    private LoopHostTransport host;

    @BeforeEach
    void listen() throws IOException {
        transport = new LoopbackTransport();
        listener = transport.listen(core);
        host = LoopHostTransport.connect(transport, core.port.portId());
    }

    @AfterEach
    void stop() {
        host.close();
        listener.close();
        core.backend.shutdownNow();
    }

    static ByteBuf sqe(int opcode, int cid) {
        ByteBuf sqe = Unpooled.buffer(64);
        sqe.writeZero(64);
        SubmissionQueueEntry.setOpcode(sqe, opcode);
        SubmissionQueueEntry.setCid(sqe, cid);
        return sqe;
    }

    /** Records one completion. */
    static final class Result implements HostCompletion {
        final CompletableFuture<long[]> done = new CompletableFuture<>();
        volatile Thread thread;

        @Override
        public void completed(long result, int sqHead, int status) {
            thread = Thread.currentThread();
            done.complete(new long[] {result, sqHead, status});
        }

        @Override
        public void failed(Throwable cause) {
            thread = Thread.currentThread();
            done.completeExceptionally(cause);
        }

        long[] get() throws Exception {
            return done.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void describesItselfAsTheLoopTransport() {
        assertEquals("loop", transport.type());
        assertEquals(254, transport.discoveryTrtype());
        assertEquals(core.port.traddr(), listener.boundTraddr());
    }

    @Test
    void writeDataReachesTheTargetAsTheHostsOwnMemory() throws Exception {
        HostQueue q = host.openQueue(1, 8);
        assertEquals(0, q.maxInlineData());
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(8192);
        try {
            for (int i = 0; i < 8192; i++) {
                out.writeByte(i);
            }
            out.readerIndex(100); // only the readable part is the command's data
            AtomicReference<Long> seenAddress = new AtomicReference<>();
            AtomicReference<Long> sglLength = new AtomicReference<>();
            AtomicInteger sglId = new AtomicInteger();
            core.onWrite = r -> {
                seenAddress.set(r.data().memoryAddress() + r.data().readerIndex());
                sglLength.set(SglDescriptor.length(r.sqe()));
                sglId.set(SglDescriptor.identifier(r.sqe()));
                assertEquals(8092, r.data().readableBytes());
                assertEquals((byte) 100, r.data().getByte(r.data().readerIndex()));
            };
            Result result = new Result();
            q.submit(sqe(FakeCore.OP_WRITE, 5), out, null, result);
            long[] cqe = result.get();
            assertEquals(out.memoryAddress() + 100, seenAddress.get(), "no copy: the target saw the host's memory");
            assertEquals(8092L, sglLength.get());
            assertEquals(SglDescriptor.ID_TRANSPORT, sglId.get());
            assertEquals(0x1234_5678_9ABCL, cqe[0]);
            assertEquals(6, cqe[1]);
            assertEquals(Status.SUCCESS, cqe[2]);
            assertEquals(100, out.readerIndex(), "the host's indices are not the transport's to move");
            assertEquals(1, out.refCnt(), "the transport's retained view is released");
        } finally {
            out.release();
        }
    }

    @Test
    void readDataIsWrittenInPlaceAtTheWriterIndex() throws Exception {
        HostQueue q = host.openQueue(1, 8);
        byte[] backing = new byte[600];
        ByteBuf window = Unpooled.wrappedBuffer(backing).slice(88, 512).clear(); // exactly the transfer
        Result result = new Result();
        q.submit(sqe(FakeCore.OP_READ, 1), null, window, result);
        assertEquals(Status.SUCCESS, result.get()[2]);
        assertEquals(512, window.readableBytes());
        for (int i = 0; i < 512; i++) {
            assertEquals((byte) (i * 7 + 3), backing[88 + i], "byte " + i + " landed in the host's array");
        }
    }

    @Test
    void completionsFromBackendThreadsReachTheHost() throws Exception {
        core.completeOn(true);
        HostQueue q = host.openQueue(1, 4);
        ByteBuf in = Unpooled.buffer(4096, 4096);
        Result result = new Result();
        q.submit(sqe(FakeCore.OP_READ, 3), null, in, result);
        assertEquals(Status.SUCCESS, result.get()[2]);
        assertEquals("fake-backend", result.thread.getName());
        assertEquals(4096, in.readableBytes());
    }

    @Test
    void aCommandTheCoreRejectsInInitCompletesWithItsStatus() throws Exception {
        HostQueue q = host.openQueue(0, 4);
        Result result = new Result();
        ByteBuf out = Unpooled.buffer(512).writeZero(512);
        q.submit(sqe(FakeCore.OP_REJECT, 9), out, null, result);
        long[] cqe = result.get();
        assertEquals(FakeCore.REJECT_STATUS, cqe[2]);
        assertEquals(0xDEAD, cqe[0]);
    }

    @Test
    void requestsArePooledPerSlot() throws Exception {
        HostQueue q = host.openQueue(1, 4);
        for (int i = 0; i < 200; i++) {
            Result r = new Result();
            q.submit(sqe(FakeCore.OP_WRITE, i), Unpooled.buffer(512).writeZero(512), null, r);
            r.get();
        }
        assertTrue(core.requestsSeen.size() <= 4, "at most one NvmeRequest per slot: " + core.requestsSeen.size());
    }

    @Test
    void moreCommandsThanSlotsFailWithoutReachingTheTarget() throws Exception {
        HostQueue q = host.openQueue(1, 2);
        Result a = new Result();
        Result b = new Result();
        Result c = new Result();
        q.submit(sqe(FakeCore.OP_HOLD, 1), null, null, a);
        q.submit(sqe(FakeCore.OP_HOLD, 2), null, null, b);
        q.submit(sqe(FakeCore.OP_HOLD, 3), null, null, c);
        Exception e = assertThrows(Exception.class, c::get);
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(2, core.held.size());
        core.sessions.get(0).finish(core.held.get(0));
        assertEquals(Status.SUCCESS, a.get()[2]);
    }

    @Test
    void closingFromTheTargetFailsOutstandingCommandsAndReleasesTheirBuffersLater() throws Exception {
        HostQueue q = host.openQueue(1, 4);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(4096).writeZero(4096);
        try {
            Result held = new Result();
            ByteBuf holdSqe = sqe(FakeCore.OP_HOLD, 1);
            SglDescriptor.set(holdSqe, SglDescriptor.ID_TRANSPORT, 0, 4096);
            // a held write: the target keeps a view of the host buffer
            q.submit(holdSqe, out, null, held);
            NvmeRequest request = core.held.get(0);
            FakeCore.Session session = core.sessions.get(0);
            session.queue.close();
            Exception e = assertThrows(Exception.class, held::get);
            assertInstanceOf(IOException.class, e.getCause());
            assertFalse(q.isOpen());
            assertEquals(1, session.disconnects.get());
            session.queue.close();
            assertEquals(1, session.disconnects.get(), "disconnect reported once");
            // the target finishes the command later: the host hears nothing more, the buffer view is released
            session.finish(request);
            assertEquals(1, out.refCnt());
            Result late = new Result();
            q.submit(sqe(FakeCore.OP_WRITE, 2), out, null, late);
            assertInstanceOf(IOException.class, assertThrows(Exception.class, late::get).getCause());
        } finally {
            out.release();
        }
    }

    @Test
    void aSecondResponseForOneCommandNeitherReachesTheHostNorDuplicatesTheSlot() throws Exception {
        HostQueue q = host.openQueue(1, 2);
        AtomicInteger calls = new AtomicInteger();
        HostCompletion counting = new HostCompletion() {
            @Override
            public void completed(long result, int sqHead, int status) {
                calls.incrementAndGet();
            }

            @Override
            public void failed(Throwable cause) {
                calls.incrementAndGet();
            }
        };
        q.submit(sqe(FakeCore.OP_HOLD, 1), null, null, counting);
        NvmeRequest request = core.held.get(0);
        request.complete(Status.SUCCESS);
        request.complete(Status.SUCCESS);
        assertEquals(1, calls.get());
        Result a = new Result();
        Result b = new Result();
        Result c = new Result();
        q.submit(sqe(FakeCore.OP_HOLD, 2), null, null, a);
        q.submit(sqe(FakeCore.OP_HOLD, 3), null, null, b);
        q.submit(sqe(FakeCore.OP_HOLD, 4), null, null, c);
        assertInstanceOf(IllegalStateException.class, assertThrows(Exception.class, c::get).getCause(),
                "two slots, not three");
    }

    @Test
    void closingFromTheHostTellsTheTarget() throws Exception {
        HostQueue q = host.openQueue(1, 4);
        q.close();
        assertEquals(1, core.sessions.get(0).disconnects.get());
    }

    @Test
    void closingThePortClosesItsQueuesAndRefusesNewOnes() throws Exception {
        HostQueue q = host.openQueue(0, 4);
        listener.close();
        assertFalse(q.isOpen());
        assertEquals(1, core.sessions.get(0).disconnects.get());
        assertThrows(IOException.class, () -> host.openQueue(0, 4));
        assertThrows(IOException.class, () -> LoopHostTransport.connect(transport, core.port.portId()));
    }

    @Test
    void aPortIdListensOnce() {
        assertThrows(IOException.class, () -> transport.listen(core));
    }

    @Test
    void aDptrTheHostFilledInIsPassedOnUntouched() throws Exception {
        HostQueue q = host.openQueue(1, 4);
        AtomicInteger id = new AtomicInteger();
        AtomicReference<Long> length = new AtomicReference<>();
        core.onWrite = r -> {
            id.set(SglDescriptor.identifier(r.sqe()));
            length.set(SglDescriptor.length(r.sqe()));
        };
        ByteBuf sqe = sqe(FakeCore.OP_WRITE, 1);
        SglDescriptor.set(sqe, SglDescriptor.TYPE_SEGMENT << 4, 0x1000, 512);
        Result r = new Result();
        q.submit(sqe, Unpooled.buffer(512).writeZero(512), null, r);
        r.get();
        assertEquals(SglDescriptor.TYPE_SEGMENT << 4, id.get());
        assertEquals(512L, length.get());
    }

    @Test
    void aWriteShorterThanItsSglFailsWithSglDataInvalid() throws Exception {
        HostQueue q = host.openQueue(1, 4);
        ByteBuf sqe = sqe(FakeCore.OP_WRITE, 1);
        SglDescriptor.set(sqe, SglDescriptor.ID_TRANSPORT, 0, 8192);
        Result r = new Result();
        q.submit(sqe, Unpooled.buffer(512).writeZero(512), null, r);
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, r.get()[2]);
        Result r2 = new Result();
        ByteBuf readSqe = sqe(FakeCore.OP_READ, 2);
        SglDescriptor.set(readSqe, SglDescriptor.ID_TRANSPORT, 0, 8192);
        q.submit(readSqe, null, null, r2);
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, r2.get()[2]);
    }

    @Test
    void callbacksThatSubmitAgainNeitherRecurseNorRunInsideTheTarget() throws Exception {
        HostQueue q = host.openQueue(1, 4);
        int total = 20_000;
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Integer> finished = new CompletableFuture<>();
        ByteBuf sqe = sqe(FakeCore.OP_WRITE, 0);
        ByteBuf data = Unpooled.buffer(512).writeZero(512);
        FakeCore.Session[] session = new FakeCore.Session[1];
        HostCompletion chain = new HostCompletion() {
            @Override
            public void completed(long result, int sqHead, int status) {
                if (session[0].executing.get() != 0) {
                    finished.completeExceptionally(new AssertionError("callback ran inside execute"));
                    return;
                }
                if (done.incrementAndGet() == total) {
                    finished.complete(total);
                } else {
                    q.submit(sqe, data, null, this);
                }
            }

            @Override
            public void failed(Throwable cause) {
                finished.completeExceptionally(cause);
            }
        };
        session[0] = core.sessions.get(0);
        q.submit(sqe, data, null, chain);
        assertEquals(total, finished.get(30, TimeUnit.SECONDS));
    }

    @Test
    void concurrentSubmittersAreSerializedTowardsTheTarget() throws Exception {
        HostQueue q = host.openQueue(1, 64);
        Thread[] threads = new Thread[4];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        Result r = new Result();
                        ByteBuf in = Unpooled.buffer(512, 512);
                        q.submit(sqe(FakeCore.OP_READ, i), null, in, r);
                        assertEquals(Status.SUCCESS, r.get()[2]);
                        assertEquals(512, in.readableBytes());
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get());
        assertFalse(core.sessions.get(0).overlapped, "init/execute never overlap on one queue");
    }

    @Test
    void queuesAreIndependentConnections() throws Exception {
        HostQueue a = host.openQueue(0, 4);
        HostQueue b = host.openQueue(1, 4);
        assertEquals(2, core.sessions.size());
        assertNotEquals(core.sessions.get(0).queue.peerAddress(), core.sessions.get(1).queue.peerAddress());
        assertNotNull(core.sessions.get(0).queue.allocator());
        assertEquals(0, core.sessions.get(0).queue.inlineDataSize());
        assertEquals(1, core.sessions.get(0).queue.maxSglDescriptors());
        a.close();
        assertTrue(b.isOpen());
    }
}
