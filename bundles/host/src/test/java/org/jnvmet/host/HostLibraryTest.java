package org.jnvmet.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jnvmet.protocol.fabrics.ConnectCommand;
import org.jnvmet.protocol.fabrics.ConnectData;
import org.jnvmet.protocol.fabrics.FabricsCommandType;
import org.jnvmet.protocol.fabrics.PropertySetCommand;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.ReadWriteCommand;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostLibraryTest {
    private static final String SUBNQN = "nqn.2024-01.org.jnvmet:test";
    private final NvmeHost host = new NvmeHost("nqn.2024-01.org.jnvmet:host-a",
            UUID.fromString("01234567-89ab-cdef-0123-456789abcdef"));
    private final FakeController target = new FakeController();

    @AfterEach
    void close() {
        host.close();
    }

    @Test
    void bringUpFollowsTheLinuxHostSequence() throws Exception {
        try (HostController c = host.connect(target, ConnectOptions.of(SUBNQN).withIoQueues(2, 64).withKato(0,
                false))) {
            assertEquals(FakeController.CNTLID, c.cntlid());
            assertEquals(FakeController.CAP, c.capabilities());
            assertEquals(FakeController.VS, c.version());
            assertEquals(2, c.ioQueues().size());

            FakeController.Received adminConnect = target.received.get(0);
            assertEquals(0, adminConnect.qid());
            assertEquals(AdminOpcode.FABRICS, adminConnect.opcode());
            assertEquals(FabricsCommandType.CONNECT, FabricsCommandType.fctype(adminConnect.sqe()));
            assertEquals(SubmissionQueueEntry.FLAGS_PSDT_SGL_MPTR_CONTIG,
                    SubmissionQueueEntry.flags(adminConnect.sqe()));
            assertEquals(0, ConnectCommand.recfmt(adminConnect.sqe()));
            assertEquals(0, ConnectCommand.qid(adminConnect.sqe()));
            assertEquals(31, ConnectCommand.sqsize(adminConnect.sqe()));
            assertEquals(0, ConnectCommand.cattr(adminConnect.sqe()));
            assertEquals(ConnectData.CNTLID_DYNAMIC, ConnectData.cntlid(adminConnect.dataOut()));
            assertEquals(SUBNQN, ConnectData.subnqn(adminConnect.dataOut()));
            assertEquals(host.hostNqn(), ConnectData.hostnqn(adminConnect.dataOut()));
            assertArrayEquals(new byte[] {0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd,
                (byte) 0xef, 0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef},
                    ConnectData.hostid(adminConnect.dataOut()));

            List<FakeController.Received> sets = target.received.stream()
                    .filter(r -> r.opcode() == AdminOpcode.FABRICS
                            && FabricsCommandType.fctype(r.sqe()) == FabricsCommandType.PROPERTY_SET).toList();
            // CC: EN, CSS NVM, MPS 0, AMS 0, IOSQES 6, IOCQES 4
            assertEquals(0x00460001L, PropertySetCommand.value(sets.get(0).sqe()));

            for (int qid = 1; qid <= 2; qid++) {
                FakeController.Received ioConnect = target.ofOpcode(qid, AdminOpcode.FABRICS).get(0);
                assertEquals(qid, ConnectCommand.qid(ioConnect.sqe()));
                assertEquals(63, ConnectCommand.sqsize(ioConnect.sqe()));
                assertEquals(0L, ConnectCommand.kato(ioConnect.sqe()));
                assertEquals(FakeController.CNTLID, ConnectData.cntlid(ioConnect.dataOut()));
            }
            assertEquals(63, c.ioQueue(0).depth(), "a queue of 64 entries holds 63 commands");
        }
        // close() shut the controller down through CC.SHN
        assertEquals(1, org.jnvmet.protocol.nvme.ControllerRegisters.ccShn(target.cc));
        assertTrue(target.queues.stream().noneMatch(q -> q.open));
    }

    @Test
    void theControllerMayGrantFewerQueues() throws Exception {
        target.grantedQueues = 2;
        try (HostController c = host.connect(target, ConnectOptions.of(SUBNQN).withIoQueues(8, 16))) {
            assertEquals(2, c.ioQueues().size());
        }
    }

    @Test
    void katoAndDisableSqFlowReachTheAdminConnect() throws Exception {
        try (HostController c = host.connectAdmin(target,
                ConnectOptions.of(SUBNQN).withKato(1500, false).withDisableSqFlow(true))) {
            FakeController.Received connect = target.received.get(0);
            assertEquals(1500L, ConnectCommand.kato(connect.sqe()));
            assertEquals(ConnectCommand.CATTR_DISABLE_SQ_FLOW, ConnectCommand.cattr(connect.sqe()));
        }
    }

    @Test
    void completionsAreMatchedByCommandIdentifier() throws Exception {
        try (HostController c = host.connect(target, ConnectOptions.of(SUBNQN).withIoQueues(1, 8))) {
            HostNamespace ns = c.namespace(1);
            assertEquals(4096, ns.blockSize());
            target.holdIo = true;
            HostIoQueue q = c.ioQueue(0);
            CompletableFuture<?>[] futures = new CompletableFuture<?>[7];
            for (int i = 0; i < futures.length; i++) {
                futures[i] = q.writeAsync(ns, i, Unpooled.buffer(4096).writeZero(4096), false);
            }
            assertEquals(7, q.inFlight());
            Set<Integer> cids = new HashSet<>();
            for (FakeController.Received r : target.held) {
                assertTrue(cids.add(r.cid()), "CID " + r.cid() + " in flight twice");
            }
            // complete in reverse, the third with an error
            List<FakeController.Received> held = List.copyOf(target.held);
            for (int i = held.size() - 1; i >= 0; i--) {
                FakeController.Received r = held.get(i);
                long slba = ReadWriteCommand.slba(r.sqe());
                r.complete(slba == 2 ? Status.LBA_RANGE | Status.DNR : Status.SUCCESS, slba);
            }
            for (int i = 0; i < futures.length; i++) {
                if (i == 2) {
                    ExecutionException e = assertThrows(ExecutionException.class, futures[i]::get);
                    NvmeStatusException s = assertInstanceOf(NvmeStatusException.class, e.getCause());
                    assertEquals(Status.LBA_RANGE, s.code());
                    assertTrue(s.dnr());
                } else {
                    assertEquals((long) i, ((Completion) futures[i].get()).result());
                }
            }
            assertEquals(0, q.inFlight());
        }
    }

    @Test
    void submittersWaitWhileTheQueueIsFull() throws Exception {
        try (HostController c = host.connect(target, ConnectOptions.of(SUBNQN).withIoQueues(1, 3))) {
            target.holdIo = true;
            HostIoQueue q = c.ioQueue(0);
            q.flushAsync(1);
            q.flushAsync(1);
            CompletableFuture<CompletableFuture<Completion>> third = CompletableFuture.supplyAsync(() -> q.flushAsync(1));
            Thread.sleep(100);
            assertFalse(third.isDone(), "a queue of 3 entries takes 2 commands");
            target.held.remove(0).complete(Status.SUCCESS, 0);
            third.get(5, TimeUnit.SECONDS);
            assertEquals(3, target.ofOpcode(1, NvmOpcode.FLUSH).size());
        }
    }

    @Test
    void aFailedChannelFailsItsOutstandingCommands() throws Exception {
        HostController c = host.connect(target, ConnectOptions.of(SUBNQN).withIoQueues(1, 8));
        target.holdIo = true;
        CompletableFuture<Completion> f = c.ioQueue(0).flushAsync(1);
        CompletableFuture<AsyncEvent> aer = c.asyncEventRequest();
        target.queues.forEach(FakeController.Queue::close);
        assertInstanceOf(IOException.class, assertThrows(ExecutionException.class, f::get).getCause());
        assertInstanceOf(IOException.class, assertThrows(ExecutionException.class, aer::get).getCause());
        assertFalse(c.isConnected());
        assertThrows(IOException.class, () -> c.ioQueue(0).flush(1));
        c.close();
    }

    @Test
    void readsIntoALargerBufferAdvanceItByTheTransferOnly() throws Exception {
        try (HostController c = host.connect(target, ConnectOptions.of(SUBNQN).withIoQueues(1, 8))) {
            HostNamespace ns = c.namespace(1);
            ByteBuf dst = Unpooled.buffer(3 * 4096).writerIndex(100);
            c.ioQueue(0).read(ns, 0, 2, dst);
            assertEquals(100 + 8192, dst.writerIndex());
            FakeController.Received read = target.ofOpcode(1, NvmOpcode.READ).get(0);
            assertEquals(2, ReadWriteCommand.blocks(read.sqe()));
            assertEquals(8192, read.dataIn().readableBytes());
        }
    }

    @Test
    void rawSubmitsKeepTheirFieldsButGetAQueueCid() throws Exception {
        try (HostController c = host.connectAdmin(target, ConnectOptions.of(SUBNQN))) {
            ByteBuf sqe = Commands.sqe(0xC5, 0xFFFFFFFF);
            SubmissionQueueEntry.setFlags(sqe, 0x41);
            SubmissionQueueEntry.setCid(sqe, 0xBEEF);
            Completion done = c.adminQueue().execute(sqe, null, null);
            assertEquals(Status.INVALID_OPCODE | Status.DNR, done.status());
            FakeController.Received r = target.ofOpcode(0, 0xC5).get(0);
            assertEquals(0x41, SubmissionQueueEntry.flags(r.sqe()));
            assertEquals(0xFFFFFFFF, SubmissionQueueEntry.nsid(r.sqe()));
            assertTrue(r.cid() < c.adminQueue().depth());
        }
    }

    @Test
    void keepAlivesGoOutEveryHalfKato() throws Exception {
        try (HostController c = host.connect(target, ConnectOptions.of(SUBNQN).withKato(200, true))) {
            Thread.sleep(650);
            int sent = target.keepAlives.get();
            assertTrue(sent >= 4 && sent <= 8, "keep-alives at ~100 ms: " + sent);
            c.stopKeepAlive();
            Thread.sleep(250);
            int after = target.keepAlives.get();
            Thread.sleep(250);
            assertEquals(after, target.keepAlives.get());
        }
    }

    /** A discovery controller whose log changes between the first two reads, then holds still. */
    static final class ChangingDiscovery extends FakeController {
        final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        volatile long announcedRecords = -1;

        @Override
        boolean handle(Received r) {
            if (r.opcode() != AdminOpcode.GET_LOG_PAGE) {
                return super.handle(r);
            }
            int n = reads.incrementAndGet();
            long genctr = n <= 2 ? 1 : 2;
            long numrec = announcedRecords >= 0 ? announcedRecords : genctr;
            ByteBuf log = Unpooled.buffer(r.dataIn().writableBytes()).writeZero(r.dataIn().writableBytes());
            log.setLongLE(org.jnvmet.protocol.fabrics.DiscoveryLogPage.GENCTR, genctr);
            log.setLongLE(org.jnvmet.protocol.fabrics.DiscoveryLogPage.NUMREC, numrec);
            for (int i = 0; i < numrec && org.jnvmet.protocol.fabrics.DiscoveryLogPage.entryOffset(i + 1) <= log
                    .capacity(); i++) {
                int base = org.jnvmet.protocol.fabrics.DiscoveryLogPage.entryOffset(i);
                log.setByte(base + org.jnvmet.protocol.fabrics.DiscoveryLogPage.SUBTYPE, 2);
                org.jnvmet.protocol.nvme.AsciiField.setNulPadded(log,
                        base + org.jnvmet.protocol.fabrics.DiscoveryLogPage.SUBNQN, 256, "nqn.2024-01.org.x:" + i);
            }
            r.dataIn().writeBytes(log);
            r.complete(Status.SUCCESS, 0);
            return true;
        }
    }

    @Test
    void discoveryReadsAgainWhileTheGenerationCounterMoves() throws Exception {
        ChangingDiscovery disc = new ChangingDiscovery();
        DiscoveryLog log = host.discover(disc);
        assertEquals(2, log.genctr());
        assertEquals(List.of("nqn.2024-01.org.x:0", "nqn.2024-01.org.x:1"),
                log.entries().stream().map(DiscoveryLogEntry::subnqn).toList());
        assertEquals(6, disc.reads.get(), "header, log, header; then all three again");
        assertEquals(NvmeHost.DISCOVERY_NQN, ConnectData.subnqn(disc.received.get(0).dataOut()));
        assertTrue(disc.queues.stream().noneMatch(q -> q.open), "discover disconnects");
    }

    @Test
    void aDiscoveryLogAnnouncingTooManyRecordsIsRefused() {
        ChangingDiscovery disc = new ChangingDiscovery();
        disc.announcedRecords = 1L << 40;
        assertThrows(IOException.class, () -> host.discover(disc));
        assertTrue(disc.queues.stream().noneMatch(q -> q.open));
    }

    @Test
    void aRejectedConnectClosesTheChannelAndReportsTheStatus() {
        FakeController refusing = new FakeController() {
            @Override
            boolean handle(Received r) {
                r.complete(Status.CONNECT_INVALID_HOST | Status.DNR, 0x10200);
                return true;
            }
        };
        NvmeStatusException e = assertThrows(NvmeStatusException.class,
                () -> host.connect(refusing, ConnectOptions.of(SUBNQN)));
        assertEquals(Status.CONNECT_INVALID_HOST, e.code());
        assertEquals(0x10200, e.result());
        assertFalse(refusing.queues.get(0).open);
    }
}
