package org.jnvmet.management.internal.hc;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.management.internal.BackendHealth;
import org.jnvmet.spi.backend.BlockBackendFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Felix Health Check of the namespace backends and passthru controllers ({@link BackendHealth}), following the
 * registered {@link BlockBackendFactory} services. By default one instance over every backend kind; factory
 * configurations of {@value #PID} replace it with checks of chosen kinds.
 */
@Component(service = HealthCheck.class, configurationPid = BackendsHealthCheck.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BackendsHealthCheck.Config.class, factory = true)
public final class BackendsHealthCheck implements HealthCheck {
    public static final String PID = "org.jnvmet.management.health.backends";

    @ObjectClassDefinition(name = "jnvmet backend health check",
            description = "Namespaces configured, enabled and served per backend; passthru controllers")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "hc.name of this check")
        String hc_name() default "jnvmet backends";

        @AttributeDefinition(name = "Tags", description = "hc.tags of this check")
        String[] hc_tags() default {"jnvmet", "jnvmet-backends"};

        @AttributeDefinition(name = "Backend kinds", description = "ram, file, bdev, passthru; none for all")
        String[] kinds() default {};
    }

    private final NvmeTarget target;
    private final Set<String> kinds;
    private final List<BlockBackendFactory> factories = new CopyOnWriteArrayList<>();

    @Activate
    public BackendsHealthCheck(@Reference(name = "target") NvmeTarget target, Config config) {
        this(target, Set.copyOf(Arrays.asList(config.kinds())));
    }

    public BackendsHealthCheck(NvmeTarget target, Set<String> kinds) {
        this.target = target;
        this.kinds = Set.copyOf(kinds);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeBackendFactory")
    public void addBackendFactory(BlockBackendFactory factory) {
        factories.add(factory);
    }

    public void removeBackendFactory(BlockBackendFactory factory) {
        factories.remove(factory);
    }

    @Override
    public Result execute() {
        return HealthResults.toResult(BackendHealth.evaluate(target, factories, kinds));
    }
}
