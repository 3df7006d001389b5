package org.jnvmet.core.internal.passthru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jnvmet.protocol.nvme.AsyncEventType;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.spi.passthru.DeviceEvent;
import org.junit.jupiter.api.Test;

class PassthruEventsTest {
    @Test
    void namespaceChangesNeedTheNamespaceAttributeBit() {
        DeviceEvent e = DeviceEvent.namespaceChanged(3);
        assertEquals(-1, PassthruEvents.asyncEventResult(e, 0));
        int r = PassthruEvents.asyncEventResult(e, FeatureId.AEN_CFG_NAMESPACE_ATTRIBUTE);
        assertEquals(AsyncEventType.NOTICE, AsyncEventType.type(r));
        assertEquals(AsyncEventType.NOTICE_NAMESPACE_ATTRIBUTE_CHANGED, AsyncEventType.info(r));
        assertEquals(0x04, AsyncEventType.logPage(r));
    }

    @Test
    void smartWarningsAreEnabledBitByBit() {
        DeviceEvent spare = DeviceEvent.smartCriticalWarning(DeviceEvent.CW_SPARE_BELOW_THRESHOLD);
        assertEquals(-1, PassthruEvents.asyncEventResult(spare, DeviceEvent.CW_TEMPERATURE));
        int r = PassthruEvents.asyncEventResult(spare, FeatureId.AEN_CFG_SMART_MASK);
        assertEquals(AsyncEventType.SMART_HEALTH, AsyncEventType.type(r));
        assertEquals(0x02, AsyncEventType.info(r)); // spare below threshold
        assertEquals(0x02, AsyncEventType.logPage(r));
        assertEquals(-1, PassthruEvents.asyncEventResult(DeviceEvent.removed(), -1));
    }

    @Test
    void oneSubsystemPerController() {
        PassthruClaims claims = new PassthruClaims();
        assertTrue(claims.claim("nvme0", "nqn.a"));
        assertTrue(claims.claim("nvme0", "nqn.a"), "re-enable of the same subsystem");
        assertFalse(claims.claim("nvme0", "nqn.b"));
        claims.release("nvme0", "nqn.b"); // not the owner: no effect
        assertEquals("nqn.a", claims.owner("nvme0").orElseThrow());
        claims.release("nvme0", "nqn.a");
        assertTrue(claims.claim("nvme0", "nqn.b"));
    }
}
