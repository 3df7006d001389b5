package org.jnvmet.accounting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.jnvmet.accounting.AccountingJmx;
import org.jnvmet.accounting.DeviceStatsMXBean;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.junit.jupiter.api.Test;

class AccountingJmxExporterTest {
    private static final String DEVICE = "jnvmet!nqn.2024-01.org.jnvmet:jmx,test=1!ns1";

    @Test
    void oneMXBeanPerDeviceOnThePlatformServer() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ManualClock clock = new ManualClock();
        AccountingServiceImpl accounting = new AccountingServiceImpl(clock);
        DeviceCounters dev = accounting.device(DEVICE); // exists before the exporter: replayed
        ObjectName name = AccountingJmx.objectName(DEVICE);
        assertEquals("org.jnvmet:type=Accounting,device=\"jnvmet!nqn.2024-01.org.jnvmet:jmx,test=1!ns1\"",
                name.toString());

        try (AccountingJmxExporter exporter = new AccountingJmxExporter(accounting)) {
            assertTrue(server.isRegistered(name));
            assertTrue(server.isInstanceOf(name, DeviceStatsMXBean.class.getName()));

            long r = dev.start(Op.READ);
            clock.advance(300, TimeUnit.MICROSECONDS);
            dev.end(Op.READ, 64, r, false, null);
            long w = dev.start(Op.WRITE);
            clock.advanceMillis(2);
            dev.end(Op.WRITE, 8, w, true, null);
            dev.start(Op.READ);

            assertEquals(DEVICE, server.getAttribute(name, "Name"));
            assertEquals(0, server.getAttribute(name, "Minor"));
            assertEquals(1L, server.getAttribute(name, "ReadsCompleted"));
            assertEquals(64L, server.getAttribute(name, "SectorsRead"));
            assertEquals(2L, server.getAttribute(name, "WriteTimeMs"));
            assertEquals(1L, server.getAttribute(name, "WriteErrors"));
            assertEquals(1L, server.getAttribute(name, "IosInProgress"));
            double p50 = (Double) server.getAttribute(name, "ReadLatencyP50Micros");
            assertTrue(p50 >= 256 && p50 <= 512, "300 us read in [256, 512): " + p50);
            assertEquals(accounting.snapshot(DEVICE).orElseThrow().toDiskstatsLine(),
                    server.getAttribute(name, "DiskstatsLine"));
            double writeP99 = (Double) server.invoke(name, "latencyPercentileMicros", new Object[] {"write", 99.0},
                    new String[] {String.class.getName(), double.class.getName()});
            assertTrue(writeP99 >= 1024 && writeP99 <= 2048, "2 ms write: " + writeP99);

            DeviceStatsMXBean proxy = JMX.newMXBeanProxy(server, name, DeviceStatsMXBean.class);
            proxy.reset();
            assertEquals(0L, server.getAttribute(name, "ReadsCompleted"));

            ObjectName second = AccountingJmx.objectName("second");
            accounting.device("second");
            assertTrue(server.isRegistered(second));
            accounting.remove("second");
            assertFalse(server.isRegistered(second), "removed device, removed MBean");
        }
        assertFalse(server.isRegistered(name), "closing the exporter unregisters its MBeans");
    }
}
