package org.jnvmet.core.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.host.AsyncEvent;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.testing.LeakWatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keep-alive timeout (KATO rounded up to whole seconds, as Linux does) and reconnecting. */
class KeepAliveAndReconnectTest {
    private static final int KATO_MILLIS = 1000;

    @TempDir
    Path dir;
    private LoopTarget target;

    @BeforeEach
    void start() {
        target = new LoopTarget(dir, 4L << 20, 1L << 20);
    }

    @AfterEach
    void stop() {
        target.close();
        assertEquals(List.of(), LeakWatch.drain(), "Netty reported leaked buffers");
    }

    @Test
    void keepAlivesHoldTheControllerUntilTheHostStopsSendingThem() throws Exception {
        HostController c = target.connect(target.options().withKato(KATO_MILLIS, true).withIoQueues(1, 16));
        try {
            HostNamespace ns = c.namespace(LoopTarget.RAM_NSID);
            int cntlid = c.cntlid();
            Thread.sleep(2 * KATO_MILLIS + 200);
            List<ControllerInfo> live = target.core.controllers();
            assertEquals(1, live.size(), "keep-alives every KATO/2 hold it past 2 x KATO");
            assertEquals(cntlid, live.get(0).cntlid());

            CompletableFuture<AsyncEvent> aer = c.asyncEventRequest();
            c.stopKeepAlive();
            long start = System.nanoTime();
            waitFor(() -> target.core.controllers().isEmpty(), 6000, "controller deleted after KATO");
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMillis >= KATO_MILLIS / 2, "not long before KATO: " + elapsedMillis + " ms");

            // the host sees its channels closed and what was outstanding fail
            waitFor(() -> !c.isConnected(), 2000, "admin channel closed");
            ExecutionException e = assertThrows(ExecutionException.class, () -> aer.get(2, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause());
            assertFalse(c.ioQueue(0).isOpen());
            assertThrows(IOException.class, () -> c.ioQueue(0).read(ns, 0, 1, Unpooled.buffer(512)));
        } finally {
            c.close();
        }
    }

    @Test
    void reconnectAfterKeepAliveExpiryBuildsANewController() throws Exception {
        HostController c = target.connect(target.options().withKato(KATO_MILLIS, false).withIoQueues(2, 16));
        try {
            HostNamespace ns = c.namespace(LoopTarget.RAM_NSID);
            ByteBuf data = Unpooled.buffer(4096).writeZero(4096);
            data.setLong(0, 0x1122334455667788L);
            c.ioQueue(0).write(ns, 64, data, false);
            waitFor(() -> !c.isConnected(), 6000, "controller torn down");
            waitFor(() -> target.core.controllers().isEmpty(), 2000, "target side gone");

            c.reconnect();
            assertTrue(c.isConnected());
            assertEquals(2, c.ioQueues().size());
            List<ControllerInfo> live = target.core.controllers();
            assertEquals(1, live.size());
            assertEquals(c.cntlid(), live.get(0).cntlid());
            assertEquals(2, live.get(0).ioQueues());
            assertTrue(live.get(0).ready());
            ByteBuf back = Unpooled.buffer(4096);
            c.ioQueue(1).read(ns, 64, 8, back);
            assertEquals(0x1122334455667788L, back.getLong(0), "the namespace kept the data");
        } finally {
            c.close();
        }
        assertEquals(List.of(), target.core.controllers());
    }

    @Test
    void reconnectWhileConnectedReplacesTheController() throws Exception {
        try (HostController c = target.connect(target.options().withIoQueues(1, 16))) {
            int first = c.cntlid();
            c.reconnect();
            waitFor(() -> target.core.controllers().size() == 1, 2000, "old controller deleted");
            assertEquals(c.cntlid(), target.core.controllers().get(0).cntlid());
            assertTrue(c.cntlid() > 0 && first > 0);
            c.ioQueue(0).flush(LoopTarget.RAM_NSID);
        }
    }

    static void waitFor(BooleanSupplier condition, long timeoutMillis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
