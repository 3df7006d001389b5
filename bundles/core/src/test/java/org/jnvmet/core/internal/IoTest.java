package org.jnvmet.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.core.internal.FakeQueue.Response;
import org.jnvmet.protocol.fabrics.FabricsCommandType;
import org.jnvmet.protocol.nvme.DatasetManagement;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.ReadWriteCommand;
import org.jnvmet.protocol.nvme.SglDescriptor;
import org.jnvmet.protocol.nvme.SmartHealthLog;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.IoAccounting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IoTest {
    private static final int BS = 512;
    private static final int DNR_MORE = Status.DNR | Status.MORE;
    private final TargetFixture t = new TargetFixture();
    private TestHost admin;
    private TestHost io;

    @BeforeEach
    void connect() {
        admin = t.host();
        int cntlid = admin.connectAndEnable(TargetFixture.NQN);
        io = t.host();
        assertEquals(0, io.connect(1, TargetFixture.NQN, TestHost.HOSTNQN, 127, 0, 0, cntlid).status());
    }

    @AfterEach
    void close() {
        t.close();
    }

    private static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void writeThenReadBack() {
        byte[] data = pattern(8 * BS, 5);
        Response w = io.write(1, 10, data, BS);
        assertEquals(0, w.status());
        Response r = io.read(1, 10, 8, BS);
        assertEquals(0, r.status());
        assertArrayEquals(data, r.data());
        assertEquals(3, r.sqHead(), "connect, write, read on a 128-entry queue");
        byte[] inline = pattern(BS, 9);
        ByteBuf sqe = TestHost.sqe(NvmOpcode.WRITE);
        ReadWriteCommand.set(sqe, NvmOpcode.WRITE, 1, 0, 1, true);
        TestHost.inlineSgl(sqe, BS);
        assertEquals(0, io.exec(sqe, inline).status(), "in-capsule write with FUA");
        assertArrayEquals(inline, io.read(1, 0, 1, BS).data());
    }

    @Test
    void lbaRangeChecks() {
        long blocks = TargetFixture.NS_SIZE / BS;
        assertEquals(0, io.read(1, blocks - 1, 1, BS).status());
        Response past = io.read(1, blocks - 1, 2, BS);
        assertEquals(Status.CAP_EXCEEDED | DNR_MORE, past.status());
        assertEquals(Status.CAP_EXCEEDED | DNR_MORE, io.read(1, blocks, 1, BS).status());
        assertEquals(Status.CAP_EXCEEDED | DNR_MORE, io.read(1, -1L, 2, BS).status(), "64-bit wrap-around");
        assertEquals(Status.CAP_EXCEEDED | DNR_MORE, io.read(1, 1L << 55, 1, BS).status(), "byte offset wraps");
        assertEquals(Status.CAP_EXCEEDED | DNR_MORE, io.write(1, Long.MAX_VALUE, new byte[BS], BS).status());
        ByteBuf log = Unpooled.wrappedBuffer(admin.getLogPage(LogPageId.ERROR_INFORMATION, 0, 64, 0, false).data());
        assertEquals(5, log.getLongLE(0), "five errors counted");
        assertEquals(1, log.getUnsignedShortLE(8), "on queue 1");
        assertEquals(ErrorLocation.LENGTH, log.getUnsignedShortLE(14), "the NLB field, as Linux's -ENOSPC");
        assertEquals(1, log.getIntLE(24), "nsid");
    }

    @Test
    void invalidNamespaceAndOpcodes() {
        assertEquals(Status.INVALID_NS | DNR_MORE, io.read(2, 0, 1, BS).status());
        assertEquals(Status.INVALID_NS | DNR_MORE, io.read(0, 0, 1, BS).status());
        assertEquals(Status.INVALID_NS | DNR_MORE, io.read(0xFFFFFFFF, 0, 1, BS).status());
        for (int op : new int[] {NvmOpcode.RESERVATION_REGISTER, NvmOpcode.RESERVATION_REPORT,
            NvmOpcode.RESERVATION_ACQUIRE, NvmOpcode.RESERVATION_RELEASE, NvmOpcode.VERIFY, 0x80}) {
            ByteBuf sqe = TestHost.sqe(op);
            sqe.setIntLE(4, 1);
            assertEquals(Status.INVALID_OPCODE | DNR_MORE, io.exec(sqe).status(), "opcode " + op);
        }
        ByteBuf fabrics = TestHost.sqe(0x7F);
        FabricsCommandType.set(fabrics, FabricsCommandType.PROPERTY_GET);
        assertEquals(Status.INVALID_OPCODE | DNR_MORE, io.exec(fabrics).status());
    }

    @Test
    void sglChecks() {
        // Transfer length must match NLB.
        ByteBuf sqe = TestHost.sqe(NvmOpcode.READ);
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 2, false);
        TestHost.transportSgl(sqe, BS);
        assertEquals(Status.SGL_INVALID_DATA | DNR_MORE, io.exec(sqe).status());
        // In-capsule data for a read.
        sqe = TestHost.sqe(NvmOpcode.READ);
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 1, false);
        TestHost.inlineSgl(sqe, BS);
        assertEquals(Status.INVALID_FIELD | DNR_MORE, io.exec(sqe).status());
        // In-capsule larger than the queue's inline size, or at an offset.
        sqe = TestHost.sqe(NvmOpcode.WRITE);
        ReadWriteCommand.set(sqe, NvmOpcode.WRITE, 1, 0, 64, false);
        TestHost.inlineSgl(sqe, 64 * BS);
        assertEquals(Status.SGL_INVALID_OFFSET | Status.DNR, io.exec(sqe, new byte[64 * BS]).status());
        sqe = TestHost.sqe(NvmOpcode.WRITE);
        ReadWriteCommand.set(sqe, NvmOpcode.WRITE, 1, 0, 1, false);
        SglDescriptor.set(sqe, SglDescriptor.ID_INCAPSULE, 16, BS);
        assertEquals(Status.SGL_INVALID_OFFSET | Status.DNR, io.exec(sqe, new byte[BS]).status());
        // Keyed (RDMA) and address descriptors do not exist here.
        sqe = TestHost.sqe(NvmOpcode.READ);
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 1, false);
        SglDescriptor.set(sqe, SglDescriptor.TYPE_KEYED_DATA_BLOCK << 4, 0, BS);
        assertEquals(Status.SGL_INVALID_TYPE | DNR_MORE, io.exec(sqe).status());
        sqe = TestHost.sqe(NvmOpcode.READ);
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 1, false);
        SglDescriptor.set(sqe, SglDescriptor.TYPE_DATA_BLOCK << 4, 0, BS);
        assertEquals(Status.INVALID_FIELD | DNR_MORE, io.exec(sqe).status(), "as nvmet_rdma_map_sgl");
        sqe = TestHost.sqe(NvmOpcode.READ);
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 1, false);
        SglDescriptor.set(sqe, SglDescriptor.TYPE_TRANSPORT_DATA_BLOCK << 4, 0, BS);
        assertEquals(Status.INVALID_FIELD | DNR_MORE, io.exec(sqe).status());
        // Beyond MDTS (1 MiB), before anything is allocated: a hostile 4 GiB length.
        sqe = TestHost.sqe(NvmOpcode.READ);
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 4096, false);
        TestHost.transportSgl(sqe, 4096 * BS);
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, io.exec(sqe).status());
        sqe = TestHost.sqe(NvmOpcode.READ);
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 1, false);
        TestHost.transportSgl(sqe, 0xFFFFFFFF);
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, io.exec(sqe).status());
    }

    @Test
    void compareWriteZeroesFlushAndDeallocate() {
        byte[] data = pattern(4 * BS, 1);
        io.write(1, 100, data, BS);
        ByteBuf cmp = TestHost.sqe(NvmOpcode.COMPARE);
        ReadWriteCommand.set(cmp, NvmOpcode.COMPARE, 1, 100, 4, false);
        TestHost.transportSgl(cmp, data.length);
        assertEquals(0, io.exec(cmp, data).status());
        byte[] other = data.clone();
        other[700] ^= 1;
        cmp = TestHost.sqe(NvmOpcode.COMPARE);
        ReadWriteCommand.set(cmp, NvmOpcode.COMPARE, 1, 100, 4, false);
        TestHost.transportSgl(cmp, data.length);
        assertEquals(Status.COMPARE_FAILED | Status.DNR, io.exec(cmp, other).status());

        ByteBuf wz = TestHost.sqe(NvmOpcode.WRITE_ZEROES);
        ReadWriteCommand.set(wz, NvmOpcode.WRITE_ZEROES, 1, 101, 1, false);
        assertEquals(0, io.exec(wz).status());
        byte[] after = io.read(1, 100, 4, BS).data();
        for (int i = BS; i < 2 * BS; i++) {
            assertEquals(0, after[i]);
        }
        assertEquals(data[0], after[0]);

        ByteBuf flush = TestHost.sqe(NvmOpcode.FLUSH);
        flush.setIntLE(4, 1);
        assertEquals(0, io.exec(flush).status());
        assertEquals(1, t.ram.last.flushes.get());

        ByteBuf ranges = Unpooled.buffer(32);
        DatasetManagement.setRange(ranges, 0, 100, 1);
        DatasetManagement.setRange(ranges, 1, 103, 1);
        ByteBuf dsm = TestHost.sqe(NvmOpcode.DATASET_MANAGEMENT);
        dsm.setIntLE(4, 1);
        dsm.setIntLE(40, 1);
        dsm.setIntLE(44, DatasetManagement.ATTR_AD);
        TestHost.transportSgl(dsm, 32);
        assertEquals(0, io.exec(dsm, ranges.array()).status());
        assertArrayEquals(new long[] {100 * BS, BS, 103 * BS, BS}, t.ram.last.lastDeallocate);
        dsm = TestHost.sqe(NvmOpcode.DATASET_MANAGEMENT);
        dsm.setIntLE(4, 1);
        dsm.setIntLE(40, 1);
        dsm.setIntLE(44, DatasetManagement.ATTR_AD);
        TestHost.transportSgl(dsm, 16);
        assertEquals(Status.SGL_INVALID_DATA | DNR_MORE, io.exec(dsm, ranges.array()).status(), "2 ranges, 16 bytes");
        ByteBuf far = Unpooled.buffer(16);
        DatasetManagement.setRange(far, 0, TargetFixture.NS_SIZE / BS, 1);
        dsm = TestHost.sqe(NvmOpcode.DATASET_MANAGEMENT);
        dsm.setIntLE(4, 1);
        dsm.setIntLE(44, DatasetManagement.ATTR_AD);
        TestHost.transportSgl(dsm, 16);
        assertEquals(Status.CAP_EXCEEDED | DNR_MORE, io.exec(dsm, far.array()).status());
        ByteBuf log = Unpooled.wrappedBuffer(admin.getLogPage(LogPageId.ERROR_INFORMATION, 0, 64, 0, false).data());
        assertEquals(TargetFixture.NS_SIZE / BS, log.getLongLE(16), "the failing range's SLBA");
    }

    @Test
    void smartCountersAndAccounting() {
        List<String> ends = new ArrayList<>();
        AtomicInteger sessions = new AtomicInteger();
        IoAccounting acc = new IoAccounting() {
            @Override
            public DeviceCounters device(String name) {
                return new DeviceCounters() {
                    @Override
                    public long start(Op op) {
                        return 42;
                    }

                    @Override
                    public void end(Op op, long sectors, long startNanos, boolean error, HostSession session) {
                        ends.add(name + " " + op + " " + sectors + " " + startNanos + " " + error + " "
                                + (session != null));
                    }

                    @Override
                    public HostSession session(String hostNqn, int cntlid) {
                        sessions.incrementAndGet();
                        return new HostSession() {
                        };
                    }
                };
            }

            @Override
            public void remove(String name) {
            }
        };
        t.engine.setIoAccounting(acc);
        io.write(1, 0, pattern(8 * BS, 2), BS);
        io.read(1, 0, 8, BS);
        io.read(1, 0, 4, BS);
        String dev = "jnvmet!" + TargetFixture.NQN + "!ns1";
        assertEquals(List.of(dev + " WRITE 8 42 false true", dev + " READ 8 42 false true",
                dev + " READ 4 42 false true"), ends);
        assertEquals(1, sessions.get(), "one host session per controller and namespace");

        ByteBuf smart = Unpooled.wrappedBuffer(admin.getLogPage(LogPageId.SMART_HEALTH, 1, 512, 0, false).data());
        assertEquals(2, SmartHealthLog.get128Low(smart, SmartHealthLog.HOST_READ_COMMANDS));
        assertEquals(1, SmartHealthLog.get128Low(smart, SmartHealthLog.HOST_WRITE_COMMANDS));
        assertEquals(1, SmartHealthLog.get128Low(smart, SmartHealthLog.DATA_UNITS_READ), "12 sectors round up");
        assertEquals(1, SmartHealthLog.get128Low(smart, SmartHealthLog.DATA_UNITS_WRITTEN));
        t.engine.unsetIoAccounting(acc);
        io.read(1, 0, 1, BS);
        assertEquals(3, ends.size());
    }

    @Test
    void disablingANamespaceWaitsForNothingAndClosesTheBackend() {
        TestRamBackend backend = t.ram.last;
        t.engine.putNamespace(TargetFixture.NQN, NamespaceSpec.of(1, "ram:" + TargetFixture.NS_SIZE)
                .withEnabled(false));
        assertTrue(backend.closed);
        assertEquals(Status.INVALID_NS | DNR_MORE, io.read(1, 0, 1, BS).status());
        t.engine.putNamespace(TargetFixture.NQN, NamespaceSpec.of(1, "ram:" + TargetFixture.NS_SIZE));
        assertEquals(0, io.read(1, 0, 1, BS).status());
    }

    @Test
    void backendFactoryGoingAwayDisablesItsNamespaces() {
        t.engine.removeBackendFactory(t.ram);
        assertEquals(Status.INVALID_NS | DNR_MORE, io.read(1, 0, 1, BS).status());
        t.engine.addBackendFactory(t.ram);
        assertEquals(0, io.read(1, 0, 1, BS).status());
    }

    @Test
    void readWriteAllocateNothingInTheCore() {
        // Warm up the slot contexts, then count allocations of the I/O path on this thread.
        byte[] data = pattern(BS, 3);
        for (int i = 0; i < 200; i++) {
            io.write(1, i, data, BS);
        }
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        AtomicLong coreBytes = new AtomicLong();
        FabricsQueue session = (FabricsQueue) io.session;
        NullQueue sink = new NullQueue();
        org.jnvmet.spi.transport.NvmeRequest req = new org.jnvmet.spi.transport.NvmeRequest(sink, 0);
        // Wrapped buffers: the paranoid leak detector would otherwise allocate a record per buffer access.
        ByteBuf sqe = Unpooled.wrappedBuffer(new byte[64]);
        sqe.setByte(1, 0x40);
        ReadWriteCommand.set(sqe, NvmOpcode.READ, 1, 0, 1, false);
        TestHost.transportSgl(sqe, BS);
        ByteBuf buf = Unpooled.wrappedBuffer(java.nio.ByteBuffer.allocateDirect(BS));
        for (int round = 0; round < 3; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                req.reset(sqe);
                assertTrue(session.init(req));
                buf.clear();
                req.setData(buf);
                session.execute(req);
            }
            coreBytes.set(mx.getCurrentThreadAllocatedBytes() - before);
        }
        buf.release();
        sqe.release();
        assertEquals(3000, sink.successes, "every read completed successfully");
        assertTrue(coreBytes.get() < 1000, "allocated " + coreBytes.get() + " bytes for 1000 reads");
    }

    /** A transport queue that drops responses, to measure the core alone. */
    private static final class NullQueue extends org.jnvmet.testing.StubTransportQueue {
        int successes;

        NullQueue() {
            super("null");
        }

        @Override
        public void sendResponse(org.jnvmet.spi.transport.NvmeRequest request) {
            if (request.status() == 0 && request.data().readableBytes() == BS) {
                successes++;
            }
        }
    }
}
