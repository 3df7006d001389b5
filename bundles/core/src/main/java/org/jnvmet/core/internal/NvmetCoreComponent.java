package org.jnvmet.core.internal;

import java.util.List;
import java.util.Map;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.PassthruStatus;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.PortStatus;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.spi.accounting.IoAccounting;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.spi.passthru.NvmeDeviceFactory;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.spi.transport.FabricsTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Registers the {@link NvmetCore} as the {@link NvmeTarget} service and feeds it the transports, backend factories,
 * passthru device factories and accounting that come and go.
 */
@Component(service = NvmeTarget.class, immediate = true, configurationPid = "org.jnvmet.core")
@Designate(ocd = NvmetCoreComponent.Config.class)
public final class NvmetCoreComponent implements NvmeTarget {

    @ObjectClassDefinition(name = "jnvmet core", description = "NVMe over Fabrics target engine")
    public @interface Config {
        @AttributeDefinition(name = "MDTS", description = "Maximum data transfer size as a power of two of 4 KiB "
                + "pages (1..10); 8 means 1 MiB", min = "1", max = "10")
        int mdts() default NvmetCore.Options.DEFAULT_MDTS;

        @AttributeDefinition(name = "Firmware revision", description = "Identify Controller FR for subsystems "
                + "without attr_firmware (at most 8 characters)")
        String firmware_revision() default NvmetCore.Options.DEFAULT_FIRMWARE;
    }

    private final NvmetCore core;

    @Activate
    public NvmetCoreComponent(Config config) {
        this.core = new NvmetCore(new NvmetCore.Options(config.mdts(), config.firmware_revision()));
    }

    @Deactivate
    void deactivate() {
        core.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeTransport")
    void addTransport(FabricsTransport transport) {
        core.addTransport(transport);
    }

    void removeTransport(FabricsTransport transport) {
        core.removeTransport(transport);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeBackendFactory")
    void addBackendFactory(BlockBackendFactory factory) {
        core.addBackendFactory(factory);
    }

    void removeBackendFactory(BlockBackendFactory factory) {
        core.removeBackendFactory(factory);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDeviceFactory")
    void addDeviceFactory(NvmeDeviceFactory factory) {
        core.addDeviceFactory(factory);
    }

    void removeDeviceFactory(NvmeDeviceFactory factory) {
        core.removeDeviceFactory(factory);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetIoAccounting")
    void setIoAccounting(IoAccounting accounting) {
        core.setIoAccounting(accounting);
    }

    void unsetIoAccounting(IoAccounting accounting) {
        core.unsetIoAccounting(accounting);
    }

    @Override
    public void setDiscoveryNqn(String nqn) {
        core.setDiscoveryNqn(nqn);
    }

    @Override
    public String discoveryNqn() {
        return core.discoveryNqn();
    }

    @Override
    public void putSubsystem(SubsystemSpec spec) {
        core.putSubsystem(spec);
    }

    @Override
    public void removeSubsystem(String nqn) {
        core.removeSubsystem(nqn);
    }

    @Override
    public void putNamespace(String subsystemNqn, NamespaceSpec spec) {
        core.putNamespace(subsystemNqn, spec);
    }

    @Override
    public void removeNamespace(String subsystemNqn, int nsid) {
        core.removeNamespace(subsystemNqn, nsid);
    }

    @Override
    public void putPort(PortSpec spec) {
        core.putPort(spec);
    }

    @Override
    public void removePort(int portId) {
        core.removePort(portId);
    }

    @Override
    public List<SubsystemSpec> subsystems() {
        return core.subsystems();
    }

    @Override
    public List<NamespaceSpec> namespaces(String subsystemNqn) {
        return core.namespaces(subsystemNqn);
    }

    @Override
    public List<PortSpec> ports() {
        return core.ports();
    }

    @Override
    public List<PortStatus> portStatus() {
        return core.portStatus();
    }

    @Override
    public List<ControllerInfo> controllers() {
        return core.controllers();
    }

    @Override
    public void putPassthru(String subsystemNqn, PassthruSpec spec) {
        core.putPassthru(subsystemNqn, spec);
    }

    @Override
    public void removePassthru(String subsystemNqn) {
        core.removePassthru(subsystemNqn);
    }

    @Override
    public Map<String, PassthruSpec> passthru() {
        return core.passthru();
    }

    @Override
    public void setPassthruEnabled(String subsystemNqn, boolean enable) {
        core.setPassthruEnabled(subsystemNqn, enable);
    }

    @Override
    public List<PassthruStatus> passthruStatus() {
        return core.passthruStatus();
    }
}
