package org.jnvmet.core.it.passthru;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PassthruStatus;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.host.Commands;
import org.jnvmet.host.Completion;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.NvmeStatusException;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.Status;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.Test;

/**
 * The life of a passthru subsystem: the configfs rules of its passthru group, its device factory going away and
 * coming back, its controller disappearing in the middle of I/O, re-enabling, and no thread outliving the target.
 */
class PassthruLifecycleTest {
    static final String NQN = PassthruLoopTarget.NQN;
    static final String OTHER_NQN = "nqn.2024-01.org.jnvmet:passthru-other";

    private static void assertRefused(String field, Runnable change) {
        TargetConfigException e = assertThrows(TargetConfigException.class, change::run);
        assertEquals(field, e.field(), e.getMessage());
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void writeAndVerify(HostController c, long lba, long seed) throws IOException {
        HostNamespace ns = c.namespace(1);
        byte[] data = random(8192, seed);
        assertEquals(0, c.ioQueue(0).write(ns, lba, Unpooled.wrappedBuffer(data), false).status());
        ByteBuf back = Unpooled.buffer(8192, 8192);
        assertEquals(0, c.ioQueue(0).read(ns, lba, 16, back).status());
        assertArrayEquals(data, ByteBufUtil.getBytes(back));
    }

    @Test
    void configfsRulesOfThePassthruGroup() throws Exception {
        try (PassthruLoopTarget t = new PassthruLoopTarget("rules")) {
            String pt = "subsystems/" + NQN + "/passthru";
            // passthru and namespaces are mutually exclusive
            assertRefused("subsystems/" + NQN + "/namespaces/1",
                    () -> t.core.putNamespace(NQN, NamespaceSpec.of(1, "ram:1M")));
            // enable twice: EINVAL
            assertRefused(pt + "/enable", () -> t.core.setPassthruEnabled(NQN, true));
            // device_path while enabled: EBUSY
            assertRefused(pt + "/device_path", () -> t.core.putPassthru(NQN, PassthruSpec.of("emulated:elsewhere")));
            // attr_version: EINVAL on passthru
            assertRefused("subsystems/" + NQN + "/attr_version", () -> t.core.putSubsystem(
                    new SubsystemSpec(NQN, true, "1.3", null, null, null, 0, 1, 0xFFEF, 128, List.of())));
            // one subsystem per controller
            t.core.putSubsystem(SubsystemSpec.of(OTHER_NQN));
            assertRefused("subsystems/" + OTHER_NQN + "/passthru/enable",
                    () -> t.core.putPassthru(OTHER_NQN, PassthruSpec.of("emulated:rules")));
            assertEquals(Set.of(NQN), t.core.passthru().keySet(), "the refused group was not kept");
            // enable without device_path
            assertRefused("subsystems/" + OTHER_NQN + "/passthru/enable",
                    () -> t.core.setPassthruEnabled(OTHER_NQN, true));
            assertRefused("subsystems/" + OTHER_NQN + "/passthru/enable",
                    () -> t.core.putPassthru(OTHER_NQN, new PassthruSpec(null, true, 0, 0, false, Set.of())));
            // a subsystem with namespaces cannot enable passthru, but may hold a disabled group
            t.core.putNamespace(OTHER_NQN, NamespaceSpec.of(1, "ram:1M"));
            t.core.putPassthru(OTHER_NQN, new PassthruSpec("emulated:other", false, 0, 0, false, Set.of()));
            assertRefused("subsystems/" + OTHER_NQN + "/passthru/enable",
                    () -> t.core.setPassthruEnabled(OTHER_NQN, true));

            // what may change while enabled: timeouts, clear_ids, the allowlist; the host keeps working
            try (HostController c = t.connect()) {
                PassthruSpec changed = PassthruSpec.of(t.devicePath).withTimeouts(1000, 500).withClearIds(true)
                        .withAllowedAdminOpcodes(Set.of(0x80));
                t.core.putPassthru(NQN, changed);
                assertEquals(changed, t.core.passthru().get(NQN));
                writeAndVerify(c, 0, 1);
                // Format NVM is now forwarded (nsid 0: the device refuses it)
                Completion f = c.adminQueue().execute(Commands.sqe(0x80, 0), null, null);
                assertEquals(Status.INVALID_NS | Status.DNR, f.status());
            }
            Map<String, PassthruStatus> status = t.core.passthruStatus().stream()
                    .collect(Collectors.toMap(PassthruStatus::subsystemNqn, s -> s));
            assertEquals(new PassthruStatus(NQN, t.devicePath, true, true, "emulated:rules", null), status.get(NQN));
            assertFalse(status.get(OTHER_NQN).active());
            assertEquals("disabled", status.get(OTHER_NQN).reason());

            // disabling frees the controller for another subsystem; removing forgets the group
            t.core.setPassthruEnabled(NQN, false);
            t.core.removeNamespace(OTHER_NQN, 1);
            t.core.putPassthru(OTHER_NQN, PassthruSpec.of("emulated:rules"));
            t.core.putNamespace(NQN, NamespaceSpec.of(1, "ram:1M")); // allowed again: passthru is off (waits for ram)
            t.core.removePassthru(OTHER_NQN);
            assertNull(t.core.passthru().get(OTHER_NQN));
            assertEquals(0, t.device().openHandles(), "every handle closed");
        }
    }

    @Test
    void theSubsystemGoesDownWithItsDeviceFactoryAndComesBackWithIt() throws Exception {
        try (PassthruLoopTarget t = new PassthruLoopTarget("factory")) {
            HostController c = t.connect();
            writeAndVerify(c, 100, 2);
            byte[] kept = t.device().readRaw(1, 100 * 512, 8192);

            t.core.removeDeviceFactory(t.factory);
            assertEquals(0, t.device().openHandles(), "the device was closed");
            PassthruStatus down = t.core.passthruStatus().get(0);
            assertFalse(down.active());
            assertEquals("no device factory accepts emulated:factory", down.reason());
            waitUntil(() -> !c.isConnected(), () -> "the host's controller was deleted");
            NvmeStatusException busy = assertThrows(NvmeStatusException.class, t::connect);
            assertEquals(Status.CONNECT_CTRL_BUSY, busy.status(), "busy without DNR: hosts retry");
            c.close();

            t.core.addDeviceFactory(t.factory);
            assertTrue(t.core.passthruStatus().get(0).active());
            try (HostController again = t.connect()) {
                ByteBuf back = Unpooled.buffer(8192, 8192);
                assertEquals(0, again.ioQueue(0).read(again.namespace(1), 100, 16, back).status());
                assertArrayEquals(kept, ByteBufUtil.getBytes(back), "the same controller, the same data");
                writeAndVerify(again, 200, 3);
            }
        }
    }

    @Test
    void aControllerThatDisappearsMidIoFailsCommandsClearlyAndCanBeReEnabled() throws Exception {
        try (PassthruLoopTarget t = new PassthruLoopTarget("vanish")) {
            HostController c = t.connect(t.options().withIoQueues(1, 32));
            HostNamespace ns = c.namespace(1);
            writeAndVerify(c, 0, 4);
            long reads = t.device().executed(false, NvmOpcode.READ);
            t.device().faults().delayIo(NvmOpcode.READ, 400);
            CompletableFuture<Completion> inFlight = c.ioQueue(0).submit(Commands.read(1, 0, 16), null,
                    Unpooled.buffer(8192, 8192));
            Thread.sleep(50);
            t.device().remove();
            Completion lost = inFlight.get(5, TimeUnit.SECONDS);
            assertEquals(Status.INTERNAL | Status.DNR, lost.status(), "in flight when the controller went away");
            assertEquals(reads, t.device().executed(false, NvmOpcode.READ));
            // later commands fail the same way without reaching it
            Completion w = c.ioQueue(0).execute(Commands.write(1, 0, 1, false), Unpooled.wrappedBuffer(new byte[512]),
                    null);
            assertEquals(Status.INTERNAL | Status.DNR, w.status());
            Completion id = c.adminQueue().execute(Commands.identify(IdentifyCns.CONTROLLER, 0), null,
                    Unpooled.buffer(4096, 4096));
            assertEquals(Status.INTERNAL | Status.DNR, id.status());
            assertEquals("controller emulated:vanish removed", t.core.passthruStatus().get(0).reason());
            NvmeStatusException busy = assertThrows(NvmeStatusException.class, t::connect);
            assertEquals(Status.CONNECT_CTRL_BUSY, busy.status());

            // the administrator replaces the controller and re-enables passthru
            t.registry.remove("vanish");
            t.core.setPassthruEnabled(NQN, false);
            t.core.setPassthruEnabled(NQN, true);
            waitUntil(() -> !c.isConnected(), () -> "the old controller was deleted");
            c.close();
            try (HostController again = t.connect()) {
                writeAndVerify(again, 0, 5);
                assertEquals(ns.blocks(), again.namespace(1).blocks());
            }
        }
    }

    @Test
    void repeatedSetupAndTeardownLeavesNoThreadBehind() throws Exception {
        Set<Thread> before = liveThreads();
        for (int round = 0; round < 4; round++) {
            try (PassthruLoopTarget t = new PassthruLoopTarget("threads")) {
                try (HostController c = t.connect(t.options().withIoQueues(2, 32))) {
                    writeAndVerify(c, round * 64L, round);
                    // disable and enable with a host connected (blktests nvme/037 style)
                    t.core.setPassthruEnabled(NQN, false);
                    t.core.setPassthruEnabled(NQN, true);
                }
                try (HostController c = t.connect()) {
                    writeAndVerify(c, round * 64L + 32, round + 100);
                }
                t.core.removeSubsystem(NQN);
                assertEquals(0, t.device().openHandles());
                t.core.putPort(PortSpec.loop(PassthruLoopTarget.PORT, List.of()));
            }
        }
        waitUntil(() -> newThreads(before).isEmpty(), () -> "threads left behind: " + newThreads(before));
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    /** Live threads, without the common pool's (the host library completes futures there; they idle out). */
    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(th -> !th.getName().startsWith("ForkJoinPool.commonPool")).collect(Collectors.toSet());
    }

    private static List<String> newThreads(Set<Thread> before) {
        return liveThreads().stream().filter(th -> !before.contains(th)).map(Thread::getName).sorted().toList();
    }

    private static void waitUntil(BooleanSupplier condition, Supplier<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message.get());
            }
            Thread.sleep(20);
        }
    }
}
