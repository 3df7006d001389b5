package org.jnvmet.management.internal.hc;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.management.internal.PortHealth;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Felix Health Check of the target's ports ({@link PortHealth}): by default one instance over every port; factory
 * configurations of {@value #PID} replace it with checks of chosen ports under their own name and tags.
 */
@Component(service = HealthCheck.class, configurationPid = PortsHealthCheck.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PortsHealthCheck.Config.class, factory = true)
public final class PortsHealthCheck implements HealthCheck {
    public static final String PID = "org.jnvmet.management.health.ports";

    @ObjectClassDefinition(name = "jnvmet port health check",
            description = "Whether each NVMe-oF port listens, and why not")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "hc.name of this check")
        String hc_name() default "jnvmet ports";

        @AttributeDefinition(name = "Tags", description = "hc.tags of this check")
        String[] hc_tags() default {"jnvmet", "jnvmet-ports"};

        @AttributeDefinition(name = "Port IDs", description = "Ports to check; none for every port")
        int[] portIds() default {};
    }

    private final NvmeTarget target;
    private final Set<Integer> portIds;

    @Activate
    public PortsHealthCheck(@Reference(name = "target") NvmeTarget target, Config config) {
        this(target, Arrays.stream(config.portIds()).boxed().collect(Collectors.toUnmodifiableSet()));
    }

    public PortsHealthCheck(NvmeTarget target, Set<Integer> portIds) {
        this.target = target;
        this.portIds = Set.copyOf(portIds);
    }

    @Override
    public Result execute() {
        return HealthResults.toResult(PortHealth.evaluate(target, portIds));
    }
}
