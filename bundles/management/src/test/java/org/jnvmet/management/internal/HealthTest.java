package org.jnvmet.management.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PassthruStatus;
import org.jnvmet.management.internal.HealthReport.Status;
import org.jnvmet.management.internal.hc.BackendsHealthCheck;
import org.jnvmet.management.internal.hc.PortsHealthCheck;
import org.jnvmet.spi.backend.BackendSpec;
import org.jnvmet.spi.backend.BlockBackend;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.junit.jupiter.api.Test;

/** Port and backend health over a fake target, and the same as Felix Health Check results. */
class HealthTest {
    private static final String NQN = "nqn.2024-01.org.jnvmet:a";
    private static final String PT_NQN = "nqn.2024-01.org.jnvmet:pt";

    private final FakeTarget target = new FakeTarget();

    /** A factory of {@code kind} that accepts the paths {@code accepts} likes; never opens anything. */
    private static BlockBackendFactory factory(String kind, Predicate<String> accepts) {
        return new BlockBackendFactory() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public boolean accepts(BackendSpec spec) {
                return accepts.test(spec.devicePath());
            }

            @Override
            public BlockBackend open(BackendSpec spec) throws IOException {
                throw new IOException("not in this test");
            }
        };
    }

    private static List<String> messages(HealthReport r, Status status) {
        List<String> out = new ArrayList<>();
        r.entries().stream().filter(e -> e.status() == status).forEach(e -> out.add(e.message()));
        return out;
    }

    @Test
    void listeningPortsAreOk() {
        target.port(1, 4420, List.of(NQN), true, null);
        HealthReport r = PortHealth.evaluate(target, Set.of());
        assertEquals(Status.OK, r.status());
        assertEquals(List.of("port 1 (tcp 127.0.0.1:4420) listening, subsystems [" + NQN + "]"),
                messages(r, Status.OK));
    }

    @Test
    void aPortThatShouldListenAndDoesNotIsCriticalWithTheTargetsReason() {
        target.port(1, 4420, List.of(NQN), true, null);
        target.port(2, 4421, List.of(NQN), false, "listen failed: Address already in use");
        HealthReport r = PortHealth.evaluate(target, Set.of());
        assertEquals(Status.CRITICAL, r.status());
        assertEquals(List.of("port 2 (tcp 127.0.0.1:4421) not listening: listen failed: Address already in use"),
                messages(r, Status.CRITICAL));
        assertEquals(1, messages(r, Status.OK).size());
    }

    @Test
    void aPortWithoutSubsystemsIsOnlyAWarning() {
        target.port(3, 4422, List.of(), false, "no subsystems linked");
        HealthReport r = PortHealth.evaluate(target, Set.of());
        assertEquals(Status.WARN, r.status());
        assertEquals(List.of("port 3 (tcp 127.0.0.1:4422) not listening: no subsystems linked"),
                messages(r, Status.WARN));
    }

    @Test
    void aFilterChecksOnlyItsPortsAndFlagsMissingOnes() {
        target.port(1, 4420, List.of(NQN), true, null);
        target.port(2, 4421, List.of(NQN), false, "transport tcp not registered");
        assertEquals(Status.OK, PortHealth.evaluate(target, Set.of(1)).status());
        HealthReport r = PortHealth.evaluate(target, Set.of(1, 9));
        assertEquals(List.of("port 9 is not configured"), messages(r, Status.CRITICAL));
    }

    @Test
    void noPortAtAllIsAWarning() {
        assertEquals(Status.WARN, PortHealth.evaluate(target, Set.of()).status());
    }

    @Test
    void backendsAreCountedPerKindAndUnservedNamespacesAreCritical() {
        target.subsystem(NQN, NamespaceSpec.of(1, "ram:64M"), NamespaceSpec.of(2, "/srv/a.img"),
                NamespaceSpec.of(3, "/srv/b.img").withEnabled(false), NamespaceSpec.of(4, "/srv/gone.img"));
        List<BlockBackendFactory> factories = List.of(factory("ram", p -> p.startsWith("ram:")),
                factory("file", p -> p.startsWith("/srv/") && !p.contains("gone")));
        HealthReport r = BackendHealth.evaluate(target, factories, Set.of());
        assertEquals(Status.CRITICAL, r.status());
        assertEquals(List.of("backend file: 3 configured, 2 enabled, 1 served", "backend ram: 1 configured, 1 enabled, "
                + "1 served"), messages(r, Status.OK));
        assertEquals(List.of("subsystems/" + NQN + "/namespaces/4 is enabled but no registered file backend accepts "
                + "/srv/gone.img"), messages(r, Status.CRITICAL));
    }

    @Test
    void withoutItsBackendBundleEveryEnabledNamespaceOfThatKindIsCritical() {
        target.subsystem(NQN, NamespaceSpec.of(1, "ram:64M"), NamespaceSpec.of(2, "/dev/sdb"));
        HealthReport r = BackendHealth.evaluate(target, List.of(), Set.of());
        assertEquals(2, messages(r, Status.CRITICAL).size());
        assertEquals(List.of("backend bdev: 1 configured, 1 enabled, 0 served", "backend ram: 1 configured, "
                + "1 enabled, 0 served"), messages(r, Status.OK));
        HealthReport onlyRam = BackendHealth.evaluate(target, List.of(), Set.of("ram"));
        assertEquals(1, messages(onlyRam, Status.CRITICAL).size());
    }

    @Test
    void passthruSubsystemsAreABackendOfTheirOwn() {
        target.subsystem(PT_NQN);
        target.passthru.put(PT_NQN, PassthruSpec.of("emulated:x"));
        target.passthruStatus.add(new PassthruStatus(PT_NQN, "emulated:x", true, true, "emulated:x", null));
        HealthReport ok = BackendHealth.evaluate(target, List.of(), Set.of());
        assertEquals(Status.OK, ok.status());
        assertEquals(List.of("backend passthru: 1 configured, 1 enabled, 1 served"), messages(ok, Status.OK));

        target.passthruStatus.set(0, new PassthruStatus(PT_NQN, "emulated:x", true, false, null,
                "device factory emulated not registered"));
        HealthReport down = BackendHealth.evaluate(target, List.of(), Set.of());
        assertEquals(List.of("subsystems/" + PT_NQN + "/passthru on emulated:x is enabled but not serving: "
                + "device factory emulated not registered"), messages(down, Status.CRITICAL));
    }

    @Test
    void healthChecksReportTheSameAsFelixResults() {
        target.port(1, 4420, List.of(NQN), true, null);
        target.port(2, 4421, List.of(NQN), false, "transport tcp not registered");
        target.subsystem(NQN, NamespaceSpec.of(1, "ram:64M"));

        Result ports = new PortsHealthCheck(target, Set.of()).execute();
        assertEquals(Result.Status.CRITICAL, ports.getStatus());
        List<String> critical = new ArrayList<>();
        for (ResultLog.Entry e : ports) {
            if (e.getStatus() == Result.Status.CRITICAL) {
                critical.add(e.getMessage());
            }
        }
        assertEquals(List.of("port 2 (tcp 127.0.0.1:4421) not listening: transport tcp not registered"), critical);
        assertEquals(Result.Status.OK, new PortsHealthCheck(target, Set.of(1)).execute().getStatus());

        BackendsHealthCheck backends = new BackendsHealthCheck(target, Set.of());
        assertEquals(Result.Status.CRITICAL, backends.execute().getStatus());
        BlockBackendFactory ram = factory("ram", p -> p.startsWith("ram:"));
        backends.addBackendFactory(ram);
        Result served = backends.execute();
        assertEquals(Result.Status.OK, served.getStatus());
        assertTrue(served.toString().contains("backend ram: 1 configured, 1 enabled, 1 served"), served.toString());
        backends.removeBackendFactory(ram);
        assertEquals(Result.Status.CRITICAL, backends.execute().getStatus());
    }
}
