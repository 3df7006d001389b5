package org.jnvmet.accounting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jnvmet.accounting.DeviceListener;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.junit.jupiter.api.Test;

class DeviceListenerTest {

    private static final class Recorder implements DeviceListener {
        final List<String> events = new ArrayList<>();

        @Override
        public synchronized void deviceAdded(String device) {
            events.add("+" + device);
        }

        @Override
        public synchronized void deviceRemoved(String device) {
            events.add("-" + device);
        }
    }

    @Test
    void listenerHearsExistingDevicesThenChangesInOrder() {
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        accounting.device("b");
        accounting.device("a");
        Recorder r = new Recorder();
        accounting.addListener(r);
        accounting.device("c");
        accounting.device("c"); // get, not create
        accounting.remove("a");
        accounting.remove("a"); // unknown now
        accounting.removeListener(r);
        accounting.device("d");
        assertEquals(List.of("+b", "+a", "+c", "-a"), r.events);
    }

    @Test
    void aFailingListenerDoesNotStopOthers() {
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        accounting.addListener(new DeviceListener() {
            @Override
            public void deviceAdded(String device) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void deviceRemoved(String device) {
            }
        });
        Recorder r = new Recorder();
        accounting.addListener(r);
        accounting.device("x");
        assertEquals(List.of("+x"), r.events);
    }

    @Test
    void removedDeviceIsGoneButItsHandleStillWorks() {
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        var dev = accounting.device("gone");
        assertSame(dev, accounting.device("gone"));
        accounting.remove("gone");
        dev.end(Op.READ, 8, dev.start(Op.READ), false, null);
        assertEquals(Optional.empty(), accounting.snapshot("gone"));
        assertTrue(accounting.opStats("gone").isEmpty());
        assertTrue(accounting.sessions("gone").isEmpty());
        assertNotSame(dev, accounting.device("gone"), "a re-added name starts from zero");
        assertEquals(0, accounting.snapshot("gone").orElseThrow().readsCompleted());
    }
}
