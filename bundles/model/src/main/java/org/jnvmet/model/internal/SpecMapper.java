package org.jnvmet.model.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.ReferralSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.spi.transport.PortAddress;

/** Maps a validated tree to the core's records, and reads the core's current state back. */
final class SpecMapper {
    /** NVMF_TREQ_DISABLE_SQFLOW: nvmet_ports_make sets it on every port and the treq attribute keeps it. */
    static final int TREQ_DISABLE_SQFLOW = 0x04;

    private SpecMapper() {
    }

    /** A stable UUID for a namespace configured without device_uuid, so it keeps its identity across restarts. */
    static UUID derivedUuid(String namespacePath) {
        return UUID.nameUUIDFromBytes(("jnvmet:" + namespacePath).getBytes(StandardCharsets.UTF_8));
    }

    static SpecState map(Node root) {
        SpecState s = SpecState.empty(root.effective("discovery_nqn"));
        for (Node sub : root.group(Kind.SUBSYSTEMS).values()) {
            s.subsystems().put(sub.name, subsystem(sub));
            Map<Integer, NamespaceSpec> nss = new TreeMap<>();
            for (Node ns : sub.group(Kind.NAMESPACES).values()) {
                String path = Kind.SUBSYSTEMS + "/" + sub.name + "/" + Kind.NAMESPACES + "/" + ns.name;
                NamespaceSpec spec = namespace(ns, path);
                nss.put(spec.nsid(), spec);
            }
            s.namespaces().put(sub.name, nss);
            PassthruSpec pt = passthru(sub.fixed.get(Kind.PASSTHRU_DIR));
            if (pt != null) {
                s.passthru().put(sub.name, pt);
            }
        }
        for (Node port : root.group(Kind.PORTS).values()) {
            // A port without a transport type is configuration only: the target cannot know it.
            if (!port.effective("addr_trtype").isEmpty()) {
                PortSpec spec = port(port);
                s.ports().put(spec.portId(), spec);
            }
        }
        return s;
    }

    static SubsystemSpec subsystem(Node s) {
        return new SubsystemSpec(s.name, s.flag("attr_allow_any_host"), s.explicit("attr_version"),
                s.explicit("attr_serial"), s.explicit("attr_model"), s.explicit("attr_firmware"),
                (int) s.number("attr_ieee_oui"), (int) s.number("attr_cntlid_min"), (int) s.number("attr_cntlid_max"),
                (int) s.number("attr_qid_max"), List.copyOf(s.linkSet(Kind.ALLOWED_HOSTS)));
    }

    static NamespaceSpec namespace(Node ns, String path) {
        String uuid = ns.explicit("device_uuid");
        String nguid = ns.explicit("device_nguid");
        return new NamespaceSpec((int) Long.parseLong(ns.name), ns.explicit("device_path"),
                uuid == null ? derivedUuid(path) : UUID.fromString(uuid), nguid == null ? null : nguid.replace("-", ""),
                (int) ns.number("ana_grpid"), ns.flag("enable"), ns.flag("buffered_io"), (int) ns.number("block_size"));
    }

    /**
     * A subsystem's passthru group, or null without a device_path (an unset group: nothing for the target).
     * admin_timeout and io_timeout are milliseconds, unless the jnvmet attribute {@code jiffies_hz} gives the HZ of
     * the kernel a configuration was saved from: configfs holds jiffies, so a kernel dump says 15000 for 60 s on an
     * HZ=250 kernel. 0 keeps the driver defaults (60 s admin, 30 s I/O) either way.
     */
    static PassthruSpec passthru(Node pt) {
        String path = pt.explicit("device_path");
        if (path == null) {
            return null;
        }
        long hz = pt.number("jiffies_hz");
        return new PassthruSpec(path, pt.flag("enable"), timeoutMillis(pt.number("admin_timeout"), hz),
                timeoutMillis(pt.number("io_timeout"), hz), pt.number("clear_ids") != 0,
                Values.parseOpcodes(pt.effective("allowed_admin_opcodes")));
    }

    /** A configured timeout in milliseconds: as is, or jiffies of an HZ={@code hz} kernel rounded up. */
    static int timeoutMillis(long value, long hz) {
        long ms = hz == 0 ? value : (value * 1000 + hz - 1) / hz;
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    static PortSpec port(Node p) {
        int maxQueue = (int) p.number("param_max_queue_size");
        PortAddress address = new PortAddress(Integer.parseInt(p.name), p.effective("addr_trtype"),
                p.effective("addr_adrfam"), p.effective("addr_traddr"), p.effective("addr_trsvcid"),
                TREQ_DISABLE_SQFLOW | secureChannel(p.effective("addr_treq")), (int) p.number("param_inline_data_size"),
                maxQueue < 0 ? Values.QUEUE_SIZE_MAX : maxQueue);
        List<ReferralSpec> referrals = new ArrayList<>();
        for (Node r : p.group(Kind.REFERRALS).values()) {
            referrals.add(new ReferralSpec(r.name, r.effective("addr_trtype"), r.effective("addr_adrfam"),
                    r.effective("addr_traddr"), r.effective("addr_trsvcid"), secureChannel(r.effective("addr_treq")),
                    (int) r.number("addr_portid"), r.flag("enable")));
        }
        return new PortSpec(address, List.copyOf(p.linkSet(Kind.SUBSYSTEMS)), referrals);
    }

    /** NVMF_TREQ_NOT_SPECIFIED 0, NVMF_TREQ_REQUIRED 1, NVMF_TREQ_NOT_REQUIRED 2 (secure channel bits). */
    static int secureChannel(String treq) {
        return Math.max(0, Kind.TREQ_NAMES.indexOf(treq));
    }

    /** The target's current objects, or nothing when it cannot say. */
    static SpecState read(NvmeTarget target) {
        SpecState s = SpecState.empty(target.discoveryNqn());
        for (SubsystemSpec sub : target.subsystems()) {
            s.subsystems().put(sub.nqn(), sub);
            Map<Integer, NamespaceSpec> nss = new TreeMap<>();
            for (NamespaceSpec ns : target.namespaces(sub.nqn())) {
                nss.put(ns.nsid(), ns);
            }
            s.namespaces().put(sub.nqn(), nss);
        }
        for (PortSpec p : target.ports()) {
            s.ports().put(p.portId(), p);
        }
        s.passthru().putAll(target.passthru());
        return s;
    }
}
