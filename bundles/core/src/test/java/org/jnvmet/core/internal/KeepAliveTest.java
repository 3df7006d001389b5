package org.jnvmet.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.core.internal.FakeQueue.Response;
import org.jnvmet.protocol.fabrics.ConnectData;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeepAliveTest {
    private final TargetFixture t = new TargetFixture();

    @AfterEach
    void close() {
        t.close();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!c.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    @Test
    void silentHostLosesItsControllerAndCntlid() throws Exception {
        t.engine.putSubsystem(SubsystemSpec.of(TargetFixture.NQN).withCntlidRange(3, 3));
        TestHost admin = t.host();
        Response r = admin.connect(0, TargetFixture.NQN, TestHost.HOSTNQN, 31, 0, 1000, ConnectData.CNTLID_DYNAMIC);
        assertEquals(0, r.status());
        admin.enable();
        TestHost io = t.host();
        assertEquals(0, io.connect(1, TargetFixture.NQN, TestHost.HOSTNQN, 31, 0, 0, 3).status());
        awaitTrue(() -> admin.queue.closed && io.queue.closed && t.engine.controllers().isEmpty(), 4000);
        assertTrue(admin.queue.closed, "admin queue closed on expiry");
        assertTrue(io.queue.closed, "every queue of the controller closed");
        assertTrue(t.engine.controllers().isEmpty());
        assertEquals(3, t.host().connectAdmin(TargetFixture.NQN).result(), "cntlid released");
    }

    @Test
    void anyCommandKeepsTheControllerAlive() throws Exception {
        TestHost admin = t.host();
        admin.connect(0, TargetFixture.NQN, TestHost.HOSTNQN, 31, 0, 1000, ConnectData.CNTLID_DYNAMIC);
        admin.enable();
        long end = System.nanoTime() + 2_500_000_000L;
        while (System.nanoTime() < end) {
            assertEquals(0, admin.propertyGet(ControllerRegisters.CSTS, false).status());
            Thread.sleep(150);
        }
        assertFalse(admin.queue.closed, "traffic based keep-alive");
        assertEquals(0, admin.keepAlive().status());
    }

    @Test
    void keepAliveWithoutTimeoutIsInvalid() {
        TestHost admin = t.host();
        admin.connect(0, TargetFixture.NQN, TestHost.HOSTNQN, 31, 0, 0, ConnectData.CNTLID_DYNAMIC);
        admin.enable();
        assertEquals(Status.KA_TIMEOUT_INVALID, admin.keepAlive().status());
    }
}
