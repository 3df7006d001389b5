package org.jnvmet.core.internal;

import org.jnvmet.api.NvmeTarget;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.spi.accounting.IoAccounting;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.jnvmet.spi.passthru.NvmeDeviceFactory;
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
 * The {@link NvmetCore} as the {@link NvmeTarget} service, fed the transports, backend factories, passthru device
 * factories and accounting that come and go. The whole NvmeTarget interface is inherited, so nothing is forwarded.
 */
@Component(service = NvmeTarget.class, immediate = true, configurationPid = "org.jnvmet.core")
@Designate(ocd = NvmetCoreComponent.Config.class)
public final class NvmetCoreComponent extends NvmetCore {
    @ObjectClassDefinition(name = "jnvmet core", description = "NVMe over Fabrics target engine")
    public @interface Config {
        @AttributeDefinition(name = "MDTS", description = "Maximum data transfer size as a power of two of 4 KiB "
                + "pages (1..10); 8 means 1 MiB", min = "1", max = "10")
        int mdts() default NvmetCore.Options.DEFAULT_MDTS;

        @AttributeDefinition(name = "Firmware revision", description = "Identify Controller FR for subsystems "
                + "without attr_firmware (at most 8 characters)")
        String firmware_revision() default NvmetCore.Options.DEFAULT_FIRMWARE;
    }

    @Activate
    public NvmetCoreComponent(Config config) {
        super(new NvmetCore.Options(config.mdts(), config.firmware_revision()));
    }

    @Deactivate
    void deactivate() {
        close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindTransport")
    void bindTransport(FabricsTransport transport) {
        addTransport(transport);
    }

    void unbindTransport(FabricsTransport transport) {
        removeTransport(transport);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindBackendFactory")
    void bindBackendFactory(BlockBackendFactory factory) {
        addBackendFactory(factory);
    }

    void unbindBackendFactory(BlockBackendFactory factory) {
        removeBackendFactory(factory);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDeviceFactory")
    void bindDeviceFactory(NvmeDeviceFactory factory) {
        addDeviceFactory(factory);
    }

    void unbindDeviceFactory(NvmeDeviceFactory factory) {
        removeDeviceFactory(factory);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindIoAccounting")
    void bindIoAccounting(IoAccounting accounting) {
        setIoAccounting(accounting);
    }

    void unbindIoAccounting(IoAccounting accounting) {
        unsetIoAccounting(accounting);
    }
}
