package org.jnvmet.core;

import java.util.List;
import java.util.Map;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PassthruStatus;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.core.internal.TargetEngine;
import org.jnvmet.spi.accounting.IoAccounting;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.spi.passthru.NvmeDeviceFactory;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.spi.transport.FabricsTransport;

/**
 * The NVMe over Fabrics target, usable without OSGi: create it, add transports and backend factories (any time,
 * also after configuration; ports and namespaces wait for them), then configure it through {@link NvmeTarget}.
 * Behaviour follows the Linux kernel target (drivers/nvme/target). Thread-safe. Not final only so that the
 * Declarative Services component can be this class rather than forward every method to it.
 */
public class NvmetCore implements NvmeTarget, AutoCloseable {

    /**
     * Engine settings.
     *
     * @param mdts              Identify Controller MDTS with 4 KiB pages (1..10): the largest data transfer is
     *                          4 KiB &lt;&lt; mdts; longer SGLs fail with SGL Data Block Invalid
     * @param firmwareRevision  firmware revision reported when a subsystem sets none (at most 8 characters)
     */
    public record Options(int mdts, String firmwareRevision) {
        public static final int DEFAULT_MDTS = 8;
        public static final String DEFAULT_FIRMWARE = "0.1.0";

        public static Options defaults() {
            return new Options(DEFAULT_MDTS, DEFAULT_FIRMWARE);
        }
    }

    private final TargetEngine engine;

    public NvmetCore() {
        this(Options.defaults());
    }

    public NvmetCore(Options options) {
        String fw = options.firmwareRevision() == null || options.firmwareRevision().isEmpty()
                ? Options.DEFAULT_FIRMWARE : options.firmwareRevision();
        if (fw.length() > 8) {
            throw new IllegalArgumentException("firmware revision has at most 8 characters");
        }
        this.engine = new TargetEngine(options.mdts(), fw);
    }

    /** Registers a transport; waiting ports of its type start listening. */
    public void addTransport(FabricsTransport transport) {
        engine.addTransport(transport);
    }

    /** Unregisters a transport; its ports stop listening (their connections close) until one returns. */
    public void removeTransport(FabricsTransport transport) {
        engine.removeTransport(transport);
    }

    /** Registers a backend factory; enabled namespaces waiting for one are opened. */
    public void addBackendFactory(BlockBackendFactory factory) {
        engine.addBackendFactory(factory);
    }

    /** Unregisters a backend factory; namespaces it opened are disabled until a factory accepts them again. */
    public void removeBackendFactory(BlockBackendFactory factory) {
        engine.removeBackendFactory(factory);
    }

    /**
     * Registers a passthru device factory; enabled passthru subsystems whose device_path it accepts open their
     * controller and accept hosts.
     */
    public void addDeviceFactory(NvmeDeviceFactory factory) {
        engine.addDeviceFactory(factory);
    }

    /**
     * Unregisters a device factory: passthru subsystems using a controller it opened go down (their controllers
     * are deleted, connects are refused as busy) until a factory accepting their path is registered again.
     */
    public void removeDeviceFactory(NvmeDeviceFactory factory) {
        engine.removeDeviceFactory(factory);
    }

    /**
     * Binds accounting: every namespace is counted as device {@code jnvmet!<subnqn>!ns<nsid>}, every namespace of a
     * passthru controller like its local block device ({@code nvme0n1}, {@code emulated-NAME-n1}).
     */
    public void setIoAccounting(IoAccounting accounting) {
        engine.setIoAccounting(accounting);
    }

    /** Unbinds {@code accounting} if it is the bound one. */
    public void unsetIoAccounting(IoAccounting accounting) {
        engine.unsetIoAccounting(accounting);
    }

    /** configfs {@code revalidate_size}: re-reads a namespace's capacity and notifies hosts when it changed. */
    public void revalidateNamespace(String subsystemNqn, int nsid) {
        engine.revalidateNamespace(subsystemNqn, nsid);
    }

    @Override
    public void setDiscoveryNqn(String nqn) {
        engine.setDiscoveryNqn(nqn);
    }

    @Override
    public String discoveryNqn() {
        return engine.discoveryNqn();
    }

    @Override
    public void putSubsystem(SubsystemSpec spec) {
        engine.putSubsystem(spec);
    }

    @Override
    public void removeSubsystem(String nqn) {
        engine.removeSubsystem(nqn);
    }

    @Override
    public void putNamespace(String subsystemNqn, NamespaceSpec spec) {
        engine.putNamespace(subsystemNqn, spec);
    }

    @Override
    public void removeNamespace(String subsystemNqn, int nsid) {
        engine.removeNamespace(subsystemNqn, nsid);
    }

    @Override
    public void putPort(PortSpec spec) {
        engine.putPort(spec);
    }

    @Override
    public void removePort(int portId) {
        engine.removePort(portId);
    }

    @Override
    public List<SubsystemSpec> subsystems() {
        return engine.subsystems();
    }

    @Override
    public List<NamespaceSpec> namespaces(String subsystemNqn) {
        return engine.namespaces(subsystemNqn);
    }

    @Override
    public List<PortSpec> ports() {
        return engine.ports();
    }

    @Override
    public List<PortStatus> portStatus() {
        return engine.portStatus();
    }

    @Override
    public List<ControllerInfo> controllers() {
        return engine.controllers();
    }

    @Override
    public void putPassthru(String subsystemNqn, PassthruSpec spec) {
        engine.putPassthru(subsystemNqn, spec);
    }

    @Override
    public void removePassthru(String subsystemNqn) {
        engine.removePassthru(subsystemNqn);
    }

    @Override
    public Map<String, PassthruSpec> passthru() {
        return engine.passthru();
    }

    @Override
    public void setPassthruEnabled(String subsystemNqn, boolean enable) {
        engine.setPassthruEnabled(subsystemNqn, enable);
    }

    @Override
    public List<PassthruStatus> passthruStatus() {
        return engine.passthruStatus();
    }

    /** Stops listening, deletes every controller and closes every backend. */
    @Override
    public void close() {
        engine.close();
    }
}
