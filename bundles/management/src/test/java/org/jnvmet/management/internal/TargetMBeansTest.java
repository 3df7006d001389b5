package org.jnvmet.management.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PassthruStatus;
import org.jnvmet.management.PortMXBean;
import org.jnvmet.management.SubsystemMXBean;
import org.jnvmet.management.TargetJmx;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MBeans a JMX client sees on a private MBean server, over a fake target. */
class TargetMBeansTest {
    private static final String RAM_NQN = "nqn.2024-01.org.jnvmet:ram,1";
    private static final String PT_NQN = "nqn.2024-01.org.jnvmet:passthru";

    private final FakeTarget target = new FakeTarget();
    private MBeanServer server;

    @BeforeEach
    void setUp() {
        server = MBeanServerFactory.newMBeanServer();
        target.subsystem(RAM_NQN, NamespaceSpec.of(1, "ram:64M"), NamespaceSpec.of(2, "/srv/ns2.img").withEnabled(false));
        target.subsystem(PT_NQN);
        target.passthru.put(PT_NQN, PassthruSpec.of("emulated:demo"));
        target.passthruStatus.add(new PassthruStatus(PT_NQN, "emulated:demo", true, false, null,
                "device factory emulated not registered"));
        target.port(1, 4420, List.of(RAM_NQN, PT_NQN), true, null);
        target.port(2, 4421, List.of(RAM_NQN), false, "transport tcp not registered");
        target.controller(RAM_NQN, 1, 1);
        target.controller(RAM_NQN, 2, 2);
    }

    private Set<String> names(String type) {
        return server.queryNames(TargetJmx.pattern(type), null).stream().map(ObjectName::toString)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void portsSubsystemsAndControllersAppearUnderTheirNames() throws Exception {
        try (TargetMBeans mbeans = new TargetMBeans(target, server, Duration.ZERO)) {
            assertEquals(Set.of("org.jnvmet:type=Port,id=1", "org.jnvmet:type=Port,id=2"), names("Port"));
            assertEquals(Set.of("org.jnvmet:type=Subsystem,nqn=\"nqn.2024-01.org.jnvmet:ram,1\"",
                    "org.jnvmet:type=Subsystem,nqn=\"nqn.2024-01.org.jnvmet:passthru\""), names("Subsystem"));
            assertEquals(Set.of(
                    "org.jnvmet:type=Controller,subsystem=\"nqn.2024-01.org.jnvmet:ram,1\",cntlid=1",
                    "org.jnvmet:type=Controller,subsystem=\"nqn.2024-01.org.jnvmet:ram,1\",cntlid=2"),
                    names("Controller"));
            assertEquals(Set.of("org.jnvmet:type=Target"), names("Target"));
        }
    }

    @Test
    void attributesReflectTheTarget() throws Exception {
        try (TargetMBeans mbeans = new TargetMBeans(target, server, Duration.ZERO)) {
            ObjectName port1 = TargetJmx.port(1);
            assertEquals(true, server.getAttribute(port1, "Listening"));
            assertEquals("4420", server.getAttribute(port1, "Trsvcid"));
            assertEquals(1, server.getAttribute(port1, "ControllerCount"));
            assertArrayEquals(new String[] {RAM_NQN, PT_NQN}, (String[]) server.getAttribute(port1, "Subsystems"));
            PortMXBean port2 = JMX.newMXBeanProxy(server, TargetJmx.port(2), PortMXBean.class);
            assertFalse(port2.isListening());
            assertEquals("transport tcp not registered", port2.getReason());

            ObjectName ram = TargetJmx.subsystem(RAM_NQN);
            assertEquals(2, server.getAttribute(ram, "NamespaceCount"));
            assertEquals(1, server.getAttribute(ram, "EnabledNamespaceCount"));
            assertArrayEquals(new int[] {1, 2}, (int[]) server.getAttribute(ram, "Ports"));
            CompositeData[] ns = (CompositeData[]) server.getAttribute(ram, "Namespaces");
            assertEquals(2, ns.length);
            assertEquals("/srv/ns2.img", ns[1].get("devicePath"));
            assertEquals(false, ns[1].get("enabled"));
            SubsystemMXBean pt = JMX.newMXBeanProxy(server, TargetJmx.subsystem(PT_NQN), SubsystemMXBean.class);
            assertEquals("emulated:demo", pt.getPassthruDevicePath());
            assertTrue(pt.isPassthruEnabled());
            assertFalse(pt.isPassthruActive());
            assertEquals("device factory emulated not registered", pt.getPassthruReason());
            assertEquals(0, pt.getNamespaces().length);

            ObjectName c2 = TargetJmx.controller(RAM_NQN, 2);
            assertEquals(2, server.getAttribute(c2, "PortId"));
            assertEquals("nqn.2014-08.org.nvmexpress:uuid:host-2", server.getAttribute(c2, "HostNqn"));
            assertEquals(15_000L, server.getAttribute(c2, "KatoMillis"));
            assertEquals("127.0.0.1:52", server.getAttribute(c2, "Peer"));

            ObjectName t = TargetJmx.target();
            assertEquals(2, server.getAttribute(t, "PortCount"));
            assertEquals(1, server.getAttribute(t, "ListeningPortCount"));
            assertEquals(2, server.getAttribute(t, "ControllerCount"));
            assertEquals("nqn.2014-08.org.nvmexpress.discovery", server.getAttribute(t, "DiscoveryNqn"));
        }
    }

    @Test
    void refreshOperationAddsUpdatesAndRemovesMBeans() throws Exception {
        try (TargetMBeans mbeans = new TargetMBeans(target, server, Duration.ZERO)) {
            synchronized (target) {
                target.controllers.removeIf(c -> c.cntlid() == 1);
                target.port(2, 4421, List.of(RAM_NQN), true, null);
                target.port(3, 4422, List.of(), false, "no subsystems linked");
            }
            // nothing changes until a refresh: the values are those of the last one
            assertEquals(false, server.getAttribute(TargetJmx.port(2), "Listening"));
            assertTrue(server.isRegistered(TargetJmx.controller(RAM_NQN, 1)));

            server.invoke(TargetJmx.target(), "refresh", null, null);

            assertEquals(true, server.getAttribute(TargetJmx.port(2), "Listening"));
            assertNull(server.getAttribute(TargetJmx.port(2), "Reason"));
            assertEquals("no subsystems linked", server.getAttribute(TargetJmx.port(3), "Reason"));
            assertFalse(server.isRegistered(TargetJmx.controller(RAM_NQN, 1)));
            assertTrue(server.isRegistered(TargetJmx.controller(RAM_NQN, 2)));
            assertEquals(3, server.getAttribute(TargetJmx.target(), "PortCount"));
        }
    }

    @Test
    void periodicRefreshFollowsTheTarget() throws Exception {
        try (TargetMBeans mbeans = new TargetMBeans(target, server, Duration.ofMillis(20))) {
            synchronized (target) {
                target.subsystem("nqn.2024-01.org.jnvmet:late");
            }
            ObjectName late = TargetJmx.subsystem("nqn.2024-01.org.jnvmet:late");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!server.isRegistered(late) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(server.isRegistered(late), "the periodic refresh did not register the new subsystem");
        }
    }

    @Test
    void closeUnregistersEverything() throws Exception {
        TargetMBeans mbeans = new TargetMBeans(target, server, Duration.ofSeconds(1));
        assertEquals(7, server.queryNames(ObjectName.getInstance("org.jnvmet:*"), null).size());
        mbeans.close();
        assertEquals(0, server.queryNames(ObjectName.getInstance("org.jnvmet:*"), null).size());
        mbeans.refresh(); // after close: does nothing, registers nothing
        assertEquals(0, server.queryNames(ObjectName.getInstance("org.jnvmet:*"), null).size());
    }

    @Test
    void aNameSomeoneElseHoldsIsSkippedNotFatal() throws Exception {
        server.registerMBean(new PortBean(null), TargetJmx.port(1));
        try (TargetMBeans mbeans = new TargetMBeans(target, server, Duration.ZERO)) {
            assertTrue(server.isRegistered(TargetJmx.port(2)));
            assertEquals(1, mbeans.counts()[0]);
        }
        assertTrue(server.isRegistered(TargetJmx.port(1)), "someone else's MBean must stay");
    }
}
