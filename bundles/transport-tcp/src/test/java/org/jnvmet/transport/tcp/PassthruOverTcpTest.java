package org.jnvmet.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.backend.passthru.EmulatedNvmeDeviceFactory;
import org.jnvmet.backend.passthru.emulated.EmulatedDeviceRegistry;
import org.jnvmet.backend.passthru.emulated.EmulatedNvmeController;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.host.AsyncEvent;
import org.jnvmet.host.Commands;
import org.jnvmet.host.Completion;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.IdentifyControllerData;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.host.tcp.NvmeTcpHostTransport;
import org.jnvmet.protocol.nvme.AsyncEventType;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.IdentifyController;
import org.jnvmet.protocol.nvme.IdentifyNamespace;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.IoAccounting;
import org.jnvmet.spi.passthru.DeviceResult;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A passthru subsystem over NVMe/TCP on 127.0.0.1: the core's passthru dispatch with the emulated controller behind
 * it, driven by the Java host library through {@link NvmeTcpHostTransport} (with digests), so every command crosses
 * the real wire: capsules, in-capsule data, R2T/H2CData and C2HData. The loopback variants live in the core's
 * {@code org.jnvmet.core.it.passthru}; this module tests the core, so the TCP variant lives here (no reactor cycle).
 */
class PassthruOverTcpTest {
    static {
        LeakWatch.install();
    }

    static final String NQN = "nqn.2024-01.org.jnvmet:passthru-tcp";
    static final String NAME = "tcp";
    /** The emulated controller's max_hw_sectors_kb 512. */
    static final int MDTS_BYTES = 512 << 10;

    static Set<Thread> threadsBefore;
    static EmulatedDeviceRegistry registry;
    static NvmetCore core;
    static NvmeTcpTransport tcp;
    static InetSocketAddress address;
    static NvmeHost host;
    static NvmeTcpHostTransport transport;
    static HostController ctrl;
    static final Counting accounting = new Counting();

    @BeforeAll
    static void start() throws Exception {
        threadsBefore = liveThreads();
        registry = new EmulatedDeviceRegistry();
        core = new NvmetCore();
        tcp = new NvmeTcpTransport(new TcpTransportOptions(2, true, 10_000), PooledByteBufAllocator.DEFAULT);
        core.addTransport(tcp);
        core.setIoAccounting(accounting);
        core.addDeviceFactory(new EmulatedNvmeDeviceFactory(registry));
        core.putSubsystem(SubsystemSpec.of(NQN));
        core.putPassthru(NQN, PassthruSpec.of("emulated:" + NAME));
        core.putPort(PortSpec.tcp(1, "127.0.0.1", 0, List.of(NQN)));
        PortStatus status = core.portStatus().get(0);
        assertTrue(status.listening(), "port listening: " + status.reason());
        address = new InetSocketAddress("127.0.0.1", Integer.parseInt(status.trsvcid()));
        host = NvmeHost.random();
        transport = new NvmeTcpHostTransport(address, NvmeTcpHostOptions.defaults().withDigests(true, true));
        ctrl = host.connect(transport, ConnectOptions.of(NQN).withIoQueues(2, 64));
    }

    @AfterAll
    static void stop() throws Exception {
        ctrl.close();
        transport.close();
        host.close();
        core.close();
        tcp.close();
        registry.clear();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!newThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), newThreads(), "threads the target left behind");
        LeakWatch.assertNoLeaks();
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("ForkJoinPool.commonPool")).collect(Collectors.toSet());
    }

    private static List<String> newThreads() {
        return liveThreads().stream().filter(t -> !threadsBefore.contains(t)).map(Thread::getName).sorted().toList();
    }

    private static EmulatedNvmeController device() {
        return registry.get(NAME).orElseThrow();
    }

    private static DeviceResult direct(boolean admin, ByteBuf sqe, ByteBuf data, int length) throws Exception {
        try (NvmeDevice d = device().open("emulated:" + NAME)) {
            return (admin ? d.submitAdmin(sqe, data, length, 0) : d.submitIo(sqe, data, length, 0))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ---- the Linux passthru rules (reference section 2), restated for the sweep

    private static boolean forwardedAdmin(int opcode) {
        return opcode >= 0xC0 || opcode == 0x02 || opcode == 0x06;
    }

    private static boolean localAdmin(int opcode) {
        return opcode == 0x0C || opcode == 0x18 || opcode == 0x7F;
    }

    @Test
    void everyAdminOpcodeOverTheWire() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int opcode = 0; opcode <= 0xFF; opcode++) {
            if (opcode == 0x0C) {
                continue; // AER is held: see namespaceChangeReachesTheHostAsAnEvent
            }
            ByteBuf sqe = Commands.sqe(opcode, 0);
            long before = device().executed(true, opcode);
            Completion c = ctrl.adminQueue().execute(sqe.copy(), null, null);
            long executed = device().executed(true, opcode) - before;
            String what = String.format("admin opcode 0x%02x", opcode);
            if (forwardedAdmin(opcode)) {
                DeviceResult d = direct(true, sqe, null, 0);
                check(failures, what + " executed", 1, executed);
                check(failures, what + " status", d.nvmeStatus(), c.status());
                check(failures, what + " DW0", d.dw0(), c.dw0());
            } else if (opcode == 0x09 || opcode == 0x0A) {
                // feature 0 is neither local nor forwarded
                check(failures, what + " executed", 0, executed);
                check(failures, what + " status", Status.INVALID_OPCODE | Status.DNR, c.status());
            } else if (localAdmin(opcode)) {
                check(failures, what + " executed", 0, executed);
            } else {
                check(failures, what + " executed", 0, executed);
                check(failures, what + " status", Status.INVALID_OPCODE | Status.DNR | Status.MORE, c.status());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void everyIoOpcodeOverTheWire() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int opcode = 0; opcode <= 0xFF; opcode++) {
            ByteBuf sqe = Commands.sqe(opcode, 3);
            long before = device().executed(false, opcode);
            Completion c = ctrl.ioQueue(1).execute(sqe.copy(), null, null);
            long executed = device().executed(false, opcode) - before;
            String what = String.format("I/O opcode 0x%02x", opcode);
            if (opcode == 0x0D || opcode == 0x0E || opcode == 0x11 || opcode == 0x15) {
                check(failures, what + " executed", 0, executed);
                check(failures, what + " status", Status.INVALID_OPCODE | Status.DNR, c.status());
            } else if (opcode == 0x7F) {
                check(failures, what + " status", Status.INVALID_OPCODE | Status.DNR | Status.MORE, c.status());
            } else {
                DeviceResult d = direct(false, sqe, null, 0);
                check(failures, what + " executed", 1, executed);
                check(failures, what + " status", d.nvmeStatus(), c.status());
            }
        }
        assertEquals(List.of(), failures);
    }

    private static void check(List<String> failures, String what, long want, long got) {
        if (want != got) {
            failures.add(what + ": expected 0x" + Long.toHexString(want) + " but was 0x" + Long.toHexString(got));
        }
    }

    @Test
    void identifyOverTcpShowsTheDeviceAndTheTcpController() throws Exception {
        ByteBuf sqe = Unpooled.buffer(64).writeZero(64);
        IdentifyCommand.set(sqe, IdentifyCns.CONTROLLER, 0, 0);
        ByteBuf dev = Unpooled.buffer(4096);
        assertEquals(0, direct(true, sqe, dev, 4096).status());
        IdentifyControllerData id = ctrl.identifyController();
        ByteBuf got = Unpooled.wrappedBuffer(id.bytes());
        assertEquals(dev.getUnsignedShortLE(IdentifyController.VID), id.vid());
        assertEquals(IdentifyController.serialNumber(dev), id.serialNumber());
        assertEquals(IdentifyController.modelNumber(dev), id.modelNumber());
        assertEquals(IdentifyController.firmwareRevision(dev), id.firmwareRevision());
        assertEquals(ctrl.cntlid(), id.cntlid());
        int inline = NvmeTcpHostOptions.inlineDataSizeFromIoccsz(id.ioccsz());
        assertTrue(inline > 0, "the TCP port takes in-capsule data");
        assertEquals(IdentifyController.SGLS_SUPPORTED | IdentifyController.SGLS_OFFSET,
                got.getIntLE(IdentifyController.SGLS), "SGLS bit 20: in-capsule data at an offset");
        assertEquals(7, id.mdts());
        assertEquals(NQN, IdentifyController.subsystemNqn(got));

        // without clear_ids (TCP does not force it) the namespace keeps its NGUID; metadata formats still go
        IdentifyCommand.set(sqe, IdentifyCns.NAMESPACE, 3, 0);
        ByteBuf devNs = Unpooled.buffer(4096);
        assertEquals(0, direct(true, sqe, devNs, 4096).status());
        ByteBuf ns = Unpooled.wrappedBuffer(ctrl.identifyNamespace(3).bytes());
        assertArrayEquals(ByteBufUtil.getBytes(devNs, IdentifyNamespace.NGUID, 24),
                ByteBufUtil.getBytes(ns, IdentifyNamespace.NGUID, 24));
        assertNotEquals(0, devNs.getIntLE(IdentifyNamespace.lbaf(1)));
        assertEquals(0, ns.getIntLE(IdentifyNamespace.lbaf(1)));
    }

    @Test
    void vendorCommandsCarryDataBothWaysInCapsuleAndThroughR2t() throws Exception {
        for (int size : new int[] {1000, 100 << 10}) {
            byte[] payload = random(size, size);
            CRC32C crc = new CRC32C();
            crc.update(payload);
            Completion c = ctrl.adminQueue().execute(Commands.sqe(0xC1, 0), Unpooled.wrappedBuffer(payload), null);
            assertEquals(0, c.status());
            assertEquals((int) crc.getValue(), c.dw0(), size + " bytes stored");
            ByteBuf fetch = Commands.sqe(0xC2, 0);
            SubmissionQueueEntry.setCdw(fetch, 12, 0xA5);
            ByteBuf in = Unpooled.buffer(size, size);
            c = ctrl.adminQueue().execute(fetch, null, in);
            assertEquals(0, c.status());
            byte[] back = ByteBufUtil.getBytes(in);
            for (int i = 0; i < size; i++) {
                assertEquals((byte) (payload[i] ^ 0xA5), back[i]);
            }

            c = ctrl.ioQueue(0).execute(Commands.sqe(0x81, 1), Unpooled.wrappedBuffer(payload), null);
            assertEquals((int) crc.getValue(), c.dw0());
            in = Unpooled.buffer(size, size);
            c = ctrl.ioQueue(1).execute(Commands.sqe(0x82, 1), null, in);
            assertEquals(size, c.dw0());
            back = ByteBufUtil.getBytes(in);
            for (int i = 0; i < size; i++) {
                assertEquals(payload[size - 1 - i], back[i]);
            }
        }
    }

    @Test
    void dataIntegrityAndExactAccountingOverTcp() throws Exception {
        Counting.Device d1 = accounting.devices.get("emulated-" + NAME + "-n1");
        long reads = d1.ios.get(DeviceCounters.Op.READ.ordinal());
        long readSectors = d1.sectors.get(DeviceCounters.Op.READ.ordinal());
        long writes = d1.ios.get(DeviceCounters.Op.WRITE.ordinal());
        long writeSectors = d1.sectors.get(DeviceCounters.Op.WRITE.ordinal());
        HostNamespace ns = ctrl.namespace(1);
        long lba = 1 << 15;
        long sectors = 0;
        int n = 0;
        for (int size : new int[] {512, 16 << 10, (16 << 10) + 512, 256 << 10, MDTS_BYTES}) {
            byte[] data = random(size, size);
            assertEquals(0, ctrl.ioQueue(0).write(ns, lba, Unpooled.wrappedBuffer(data), false).status());
            ByteBuf dst = Unpooled.buffer(size, size);
            assertEquals(0, ctrl.ioQueue(1).read(ns, lba, size / 512, dst).status());
            assertArrayEquals(data, ByteBufUtil.getBytes(dst));
            assertArrayEquals(data, device().readRaw(1, lba * 512, size));
            lba += size / 512;
            sectors += size / 512;
            n++;
        }
        assertEquals(reads + n, d1.ios.get(DeviceCounters.Op.READ.ordinal()));
        assertEquals(readSectors + sectors, d1.sectors.get(DeviceCounters.Op.READ.ordinal()));
        assertEquals(writes + n, d1.ios.get(DeviceCounters.Op.WRITE.ordinal()));
        assertEquals(writeSectors + sectors, d1.sectors.get(DeviceCounters.Op.WRITE.ordinal()));
    }

    @Test
    void refusedTransfersGetClearStatuses() throws Exception {
        // beyond the device's MDTS: refused by the target before any data moves
        Completion c = ctrl.ioQueue(0).execute(Commands.read(1, 0, (MDTS_BYTES + 4096) / 512), null,
                Unpooled.buffer(MDTS_BYTES + 4096));
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, c.status());
        c = ctrl.ioQueue(0).execute(Commands.write(1, 0, (MDTS_BYTES + 4096) / 512, false),
                Unpooled.wrappedBuffer(new byte[MDTS_BYTES + 4096]), null);
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR, c.status());
        // an SGL shorter than NLB: the device refuses it
        c = ctrl.ioQueue(0).execute(Commands.read(1, 0, 8), null, Unpooled.buffer(1024, 1024));
        assertEquals(Status.INVALID_FIELD | Status.DNR, c.status());
        // a namespace the device lacks
        c = ctrl.ioQueue(0).execute(Commands.read(7, 0, 1), null, Unpooled.buffer(512, 512));
        assertEquals(Status.INVALID_NS | Status.DNR, c.status());
        assertTrue(ctrl.isConnected());
    }

    @Test
    void namespaceChangeReachesTheHostAsAnEvent() throws Exception {
        CompletableFuture<AsyncEvent> aer = ctrl.asyncEventRequest();
        device().resizeNamespace(2, 32L << 20);
        AsyncEvent e = aer.get(5, TimeUnit.SECONDS);
        assertEquals(new AsyncEvent(AsyncEventType.NOTICE, AsyncEventType.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED,
                LogPageId.CHANGED_NAMESPACE_LIST), e);
        assertArrayEquals(new int[] {2}, ctrl.changedNamespaces());
        assertEquals((32L << 20) / 4096, ctrl.identifyNamespace(2).nsze());
    }

    @Test
    void aControllerThatDisappearsMidIoOverTcp() throws Exception {
        // a second subsystem, so the shared controller of the other tests stays alive
        String nqn = NQN + "-vanish";
        core.putSubsystem(SubsystemSpec.of(nqn));
        core.putPassthru(nqn, PassthruSpec.of("emulated:vanish"));
        PortSpec port = core.ports().get(0);
        core.putPort(new PortSpec(port.address(), List.of(NQN, nqn), port.referrals()));
        try (NvmeTcpHostTransport t = new NvmeTcpHostTransport(address, NvmeTcpHostOptions.defaults());
             HostController c = host.connect(t, ConnectOptions.of(nqn))) {
            EmulatedNvmeController vanish = registry.get("vanish").orElseThrow();
            vanish.faults().delayIo(NvmOpcode.READ, 400);
            CompletableFuture<Completion> inFlight = c.ioQueue(0).submit(Commands.read(1, 0, 8), null,
                    Unpooled.buffer(4096, 4096));
            Thread.sleep(50);
            vanish.remove();
            assertEquals(Status.INTERNAL | Status.DNR, inFlight.get(5, TimeUnit.SECONDS).status());
            assertEquals(Status.INTERNAL | Status.DNR, c.ioQueue(0).execute(Commands.flush(1), null, null).status());
        } finally {
            core.putPort(port);
            core.removeSubsystem(nqn);
        }
        assertTrue(ctrl.isConnected(), "the other subsystem's host is not affected");
    }

    /** An accounting service that counts what the core reports. */
    static final class Counting implements IoAccounting {
        final Map<String, Device> devices = new ConcurrentHashMap<>();

        static final class Device implements DeviceCounters {
            final AtomicLongArray ios = new AtomicLongArray(Op.values().length);
            final AtomicLongArray sectors = new AtomicLongArray(Op.values().length);

            @Override
            public long start(Op op) {
                return System.nanoTime();
            }

            @Override
            public void end(Op op, long sectorCount, long startNanos, boolean error, HostSession session) {
                ios.incrementAndGet(op.ordinal());
                sectors.addAndGet(op.ordinal(), sectorCount);
            }

            @Override
            public HostSession session(String hostNqn, int cntlid) {
                return new HostSession() {
                };
            }
        }

        @Override
        public DeviceCounters device(String name) {
            return devices.computeIfAbsent(name, k -> new Device());
        }

        @Override
        public void remove(String name) {
            devices.remove(name);
        }
    }
}
