package org.jnvmet.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.core.internal.FakeQueue.Response;
import org.jnvmet.protocol.nvme.AsyncEventType;
import org.jnvmet.protocol.nvme.CommandsSupportedAndEffectsLog;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NamespaceIdList;
import org.jnvmet.protocol.nvme.SmartHealthLog;
import org.jnvmet.protocol.nvme.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FeaturesAndEventsTest {
    private final TargetFixture t = new TargetFixture();
    private final TestHost h = t.host();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void numberOfQueuesIsCappedByQidMax() {
        t.engine.putSubsystem(new SubsystemSpec(TargetFixture.NQN, true, null, null, null, null, 0, 1, 0xFFEF, 4,
                null));
        h.connectAndEnable(TargetFixture.NQN);
        Response set = h.setFeatures(FeatureId.NUMBER_OF_QUEUES, 63 << 16 | 63);
        assertEquals(0, set.status());
        assertEquals(3 << 16 | 3, set.result());
        assertEquals(3 << 16 | 3, h.getFeatures(FeatureId.NUMBER_OF_QUEUES, 0, 0).result());
        assertEquals(Status.INVALID_FIELD | Status.DNR,
                h.setFeatures(FeatureId.NUMBER_OF_QUEUES, 0xFFFF).status(), "NSQR 65535 is invalid, no location");
    }

    @Test
    void keepAliveTimerFeature() {
        h.connectAndEnable(TargetFixture.NQN);
        assertEquals(5000, h.getFeatures(FeatureId.KEEP_ALIVE_TIMER, 0, 0).result());
        Response set = h.setFeatures(FeatureId.KEEP_ALIVE_TIMER, 2500);
        assertEquals(3, set.result(), "result is the new timeout in seconds, rounded up");
        assertEquals(3000, h.getFeatures(FeatureId.KEEP_ALIVE_TIMER, 0, 0).result());
    }

    @Test
    void otherFeatures() {
        h.connectAndEnable(TargetFixture.NQN);
        assertEquals(1, h.getFeatures(FeatureId.VOLATILE_WRITE_CACHE, 0, 0).result());
        assertEquals(0x900, h.getFeatures(FeatureId.ASYNC_EVENT_CONFIGURATION, 0, 0).result());
        Response hostId = h.getFeatures(FeatureId.HOST_IDENTIFIER, 1, 16);
        assertEquals(0, hostId.status());
        assertArrayEquals(Namespace.uuidBytes(TestHost.HOSTID), hostId.data());
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.getFeatures(FeatureId.HOST_IDENTIFIER, 0, 16).status(), "EXHID must be set");
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR | Status.MORE,
                h.getFeatures(FeatureId.HOST_IDENTIFIER, 1, 8).status());
        assertEquals(Status.CMD_SEQ_ERROR | Status.DNR, h.setFeatures(FeatureId.HOST_IDENTIFIER, 1).status());
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.setFeatures(FeatureId.VOLATILE_WRITE_CACHE, 0).status());
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.getFeatures(FeatureId.ARBITRATION, 0, 0).status());
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE,
                h.setFeatures(FeatureId.ASYNC_EVENT_CONFIGURATION, 1 << 31).status(), "discovery bit on I/O ctrl");
        assertEquals(0, h.setFeatures(FeatureId.ASYNC_EVENT_CONFIGURATION, 0x91F).status());
    }

    @Test
    void namespaceChangesRaiseOneEventUntilTheLogIsRead() {
        h.connectAndEnable(TargetFixture.NQN);
        assertNull(h.asyncEventRequest(), "held until an event");
        t.engine.putNamespace(TargetFixture.NQN, NamespaceSpec.of(2, "ram:65536"));
        Response aen = h.queue.responses.poll();
        assertNotNull(aen);
        assertEquals(0, aen.status());
        assertEquals(AsyncEventType.result(AsyncEventType.NOTICE, 0, LogPageId.CHANGED_NAMESPACE_LIST), aen.result());

        assertNull(h.asyncEventRequest());
        t.engine.putNamespace(TargetFixture.NQN, NamespaceSpec.of(3, "ram:65536"));
        assertNull(h.queue.responses.poll(), "masked until the log is read without RAE");

        Response rae = h.getLogPage(LogPageId.CHANGED_NAMESPACE_LIST, 0, 4096, 0, true);
        ByteBuf list = Unpooled.wrappedBuffer(rae.data());
        assertEquals(2, NamespaceIdList.get(list, 0));
        assertEquals(3, NamespaceIdList.get(list, 1));
        assertEquals(2, NamespaceIdList.count(list));
        t.engine.removeNamespace(TargetFixture.NQN, 2);
        assertNull(h.queue.responses.poll(), "RAE kept the event masked");

        Response read = h.getLogPage(LogPageId.CHANGED_NAMESPACE_LIST, 0, 4096, 0, false);
        assertEquals(2, NamespaceIdList.get(Unpooled.wrappedBuffer(read.data()), 0), "list cleared on each read");
        t.engine.putNamespace(TargetFixture.NQN, NamespaceSpec.of(3, "ram:65536").withEnabled(false));
        Response aen2 = h.queue.responses.poll();
        assertNotNull(aen2, "unmasked by the read");
        assertEquals(0x040002, aen2.result());
        assertEquals(Status.INTERNAL, h.getLogPage(LogPageId.CHANGED_NAMESPACE_LIST, 0, 512, 0, false).status(),
                "Linux insists on the whole 4 KiB list");
    }

    @Test
    void disabledEventStillRecordsTheChange() {
        h.connectAndEnable(TargetFixture.NQN);
        h.setFeatures(FeatureId.ASYNC_EVENT_CONFIGURATION, 0);
        assertNull(h.asyncEventRequest());
        t.engine.putNamespace(TargetFixture.NQN, NamespaceSpec.of(4, "ram:65536"));
        assertNull(h.queue.responses.poll());
        ByteBuf list = Unpooled.wrappedBuffer(h.getLogPage(LogPageId.CHANGED_NAMESPACE_LIST, 0, 4096, 0, false)
                .data());
        assertEquals(4, NamespaceIdList.get(list, 0));
    }

    @Test
    void atMostFourOutstandingEventRequests() {
        h.connectAndEnable(TargetFixture.NQN);
        for (int i = 0; i < 4; i++) {
            assertNull(h.asyncEventRequest());
        }
        assertEquals(Status.ASYNC_LIMIT | Status.DNR, h.asyncEventRequest().status());
        h.session.disconnected();
        assertEquals(4, h.queue.responses.stream().filter(r -> r.status() == (Status.INTERNAL | Status.DNR)).count(),
                "outstanding requests fail when the admin queue goes away");
    }

    @Test
    void logPages() {
        h.connectAndEnable(TargetFixture.NQN);
        ByteBuf effects = Unpooled.wrappedBuffer(
                h.getLogPage(LogPageId.COMMANDS_SUPPORTED_AND_EFFECTS, 0, 4096, 0, false).data());
        assertEquals(CommandsSupportedAndEffectsLog.CSUPP, CommandsSupportedAndEffectsLog.admin(effects, 0x06));
        assertEquals(CommandsSupportedAndEffectsLog.CSUPP | CommandsSupportedAndEffectsLog.LBCC,
                CommandsSupportedAndEffectsLog.io(effects, 0x01));
        assertEquals(0, CommandsSupportedAndEffectsLog.io(effects, 0x0D), "reservations are not supported");
        assertEquals(0, CommandsSupportedAndEffectsLog.admin(effects, 0x80), "no Format NVM");
        assertEquals(Status.SGL_INVALID_DATA | Status.DNR | Status.MORE,
                h.getLogPage(LogPageId.COMMANDS_SUPPORTED_AND_EFFECTS, 0, 512, 0, false).status());
        assertEquals(Status.INVALID_FIELD | Status.DNR | Status.MORE, h.getLogPage(0x42, 0, 512, 0, false).status());
        Response fw = h.getLogPage(LogPageId.FIRMWARE_SLOT, 0, 512, 0, false);
        assertEquals(0, fw.status());
        assertEquals(Status.INTERNAL, h.getLogPage(LogPageId.SMART_HEALTH, 0xFFFFFFFF, 256, 0, false).status());
        assertEquals(Status.INVALID_NS | Status.DNR | Status.MORE,
                h.getLogPage(LogPageId.SMART_HEALTH, 9, 512, 0, false).status());
        ByteBuf smart = Unpooled.wrappedBuffer(h.getLogPage(LogPageId.SMART_HEALTH, 0xFFFFFFFF, 512, 0, false).data());
        assertEquals(3, SmartHealthLog.get128Low(smart, SmartHealthLog.NUMBER_OF_ERROR_LOG_ENTRIES),
                "the three failures with a location above");
        ByteBuf supported = Unpooled.wrappedBuffer(h.getLogPage(LogPageId.SUPPORTED_LOG_PAGES, 0, 1024, 0, false)
                .data());
        assertEquals(1, supported.getIntLE(4 * LogPageId.CHANGED_NAMESPACE_LIST));
        assertEquals(0, supported.getIntLE(4 * LogPageId.DISCOVERY));
        ByteBuf ana = Unpooled.wrappedBuffer(h.getLogPage(LogPageId.ASYMMETRIC_NAMESPACE_ACCESS, 0, 4096, 0, false)
                .data());
        assertEquals(1, ana.getUnsignedShortLE(8), "one ANA group");
        assertEquals(1, ana.getIntLE(16), "group 1");
        assertEquals(1, ana.getIntLE(20), "one namespace");
        assertEquals(1, ana.getUnsignedByte(32), "optimized");
        assertEquals(1, ana.getIntLE(48), "nsid 1");
    }
}
