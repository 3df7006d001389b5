package org.jnvmet.core.it.passthru;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jnvmet.host.AsyncEvent;
import org.jnvmet.host.HostController;
import org.jnvmet.protocol.nvme.AsyncEventType;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.spi.passthru.DeviceEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events of the passthru controller reach fabrics hosts as Asynchronous Events (which Linux never does): a
 * namespace change as a Namespace Attribute Changed notice, new SMART critical warnings as SMART / Health events,
 * each only when the host enabled it, and masked until the host reads the log (through the forwarded Get Log
 * Page) without RAE.
 */
class PassthruEventsTest {
    /** How long an AER that must not complete is watched. */
    static final long QUIET_MS = 300;

    PassthruLoopTarget target;
    HostController host;

    @BeforeEach
    void start() throws Exception {
        target = new PassthruLoopTarget("events");
        host = target.connect();
    }

    @AfterEach
    void stop() {
        host.close();
        target.close();
    }

    private static AsyncEvent await(CompletableFuture<AsyncEvent> aer) throws Exception {
        return aer.get(5, TimeUnit.SECONDS);
    }

    private static void assertQuiet(CompletableFuture<AsyncEvent> aer) {
        assertThrows(TimeoutException.class, () -> aer.get(QUIET_MS, TimeUnit.MILLISECONDS), "no event expected");
    }

    @Test
    void namespaceChangeBecomesANoticeAndIsMaskedUntilTheLogIsRead() throws Exception {
        long before = host.identifyNamespace(2).nsze();
        CompletableFuture<AsyncEvent> aer = host.asyncEventRequest();
        assertQuiet(aer);

        target.device().resizeNamespace(2, 32L << 20);
        AsyncEvent e = await(aer);
        assertEquals(new AsyncEvent(AsyncEventType.NOTICE, AsyncEventType.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED,
                LogPageId.CHANGED_NAMESPACE_LIST), e);
        assertEquals((32L << 20) / 4096, host.identifyNamespace(2).nsze());
        assertTrue(before > host.identifyNamespace(2).nsze());

        // not read yet: the next change is not reported
        CompletableFuture<AsyncEvent> next = host.asyncEventRequest();
        target.device().resizeNamespace(1, 48L << 20);
        assertQuiet(next);

        // the host reads the device's Changed Namespace List (forwarded), which re-arms the event
        assertArrayEquals(new int[] {1, 2}, host.changedNamespaces());
        target.device().resizeNamespace(2, 16L << 20);
        assertEquals(AsyncEventType.NOTICE, await(next).type());
        assertArrayEquals(new int[] {2}, host.changedNamespaces());
    }

    @Test
    void readingTheLogWithRetainAsyncEventKeepsTheEventMasked() throws Exception {
        CompletableFuture<AsyncEvent> aer = host.asyncEventRequest();
        target.device().resizeNamespace(3, 8L << 20);
        await(aer);
        host.getLogPage(LogPageId.CHANGED_NAMESPACE_LIST, 0, 4096, 0, true);
        CompletableFuture<AsyncEvent> next = host.asyncEventRequest();
        target.device().resizeNamespace(3, 4L << 20);
        assertQuiet(next);
    }

    @Test
    void smartCriticalWarningsOnlyWhenEnabled() throws Exception {
        CompletableFuture<AsyncEvent> aer = host.asyncEventRequest();
        target.device().setCriticalWarning(DeviceEvent.CW_TEMPERATURE);
        assertQuiet(aer); // the default configuration has no SMART bits

        int config = FeatureId.AEN_CFG_NAMESPACE_ATTRIBUTE | FeatureId.AEN_CFG_SMART_MASK;
        host.setFeature(FeatureId.ASYNC_EVENT_CONFIGURATION, config);
        assertEquals(config, host.getFeature(FeatureId.ASYNC_EVENT_CONFIGURATION, 0));
        target.device().setCriticalWarning(DeviceEvent.CW_TEMPERATURE | DeviceEvent.CW_READ_ONLY);
        AsyncEvent e = await(aer);
        assertEquals(AsyncEventType.SMART_HEALTH, e.type());
        assertEquals(LogPageId.SMART_HEALTH, e.logPage());

        // masked until log 02h is read without RAE
        CompletableFuture<AsyncEvent> next = host.asyncEventRequest();
        target.device().setCriticalWarning(DeviceEvent.CW_TEMPERATURE | DeviceEvent.CW_READ_ONLY
                | DeviceEvent.CW_RELIABILITY_DEGRADED);
        assertQuiet(next);
        assertEquals(DeviceEvent.CW_TEMPERATURE | DeviceEvent.CW_READ_ONLY | DeviceEvent.CW_RELIABILITY_DEGRADED,
                host.smartLog(0xFFFFFFFF).criticalWarning(), "the device's own SMART log");
        target.device().setCriticalWarning(DeviceEvent.CW_TEMPERATURE | DeviceEvent.CW_READ_ONLY
                | DeviceEvent.CW_RELIABILITY_DEGRADED | DeviceEvent.CW_SPARE_BELOW_THRESHOLD);
        e = await(next);
        assertEquals(AsyncEventType.SMART_HEALTH, e.type());
        assertEquals(0x02, e.info(), "spare below threshold");
    }

    @Test
    void noNoticeWhenTheHostTurnedItOff() throws Exception {
        host.setFeature(FeatureId.ASYNC_EVENT_CONFIGURATION, 0);
        CompletableFuture<AsyncEvent> aer = host.asyncEventRequest();
        target.device().resizeNamespace(1, 40L << 20);
        assertQuiet(aer);
        assertFalse(aer.isDone());
    }
}
