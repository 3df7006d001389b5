package org.jnvmet.itests.felix;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

/** Waiting for services, with a failure message that says which components are not active and why. */
final class Services {
    private Services() {
    }

    static <T> ServiceReference<T> await(BundleContext ctx, Class<T> type, String filter, long millis) {
        String f = "(&(objectClass=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<T, T> tracker;
        try {
            tracker = new ServiceTracker<>(ctx, FrameworkUtil.createFilter(f), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(f, e);
        }
        tracker.open();
        try {
            if (tracker.waitForService(millis) == null) {
                throw new AssertionError("no service " + f + " within " + millis + " ms\n" + diagnose(ctx));
            }
            return tracker.getServiceReference();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + f, e);
        } finally {
            tracker.close();
        }
    }

    /** Bundles that are not active and DS components that are not satisfied, with their unsatisfied references. */
    static String diagnose(BundleContext ctx) {
        StringBuilder sb = new StringBuilder();
        for (Bundle b : ctx.getBundles()) {
            if (b.getState() != Bundle.ACTIVE && b.getHeaders().get("Fragment-Host") == null) {
                sb.append("bundle ").append(b.getSymbolicName()).append(" state ").append(b.getState()).append('\n');
            }
        }
        ServiceReference<ServiceComponentRuntime> ref = ctx.getServiceReference(ServiceComponentRuntime.class);
        if (ref == null) {
            return sb.append("no ServiceComponentRuntime (SCR not running)").toString();
        }
        ServiceComponentRuntime scr = ctx.getService(ref);
        try {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if (!scr.isComponentEnabled(d)) {
                    sb.append("component ").append(d.name).append(" disabled\n");
                }
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        sb.append("component ").append(d.name).append(" state ").append(c.state)
                                .append(" unsatisfied references ")
                                .append(Arrays.stream(c.unsatisfiedReferences).map(r -> r.name + " " + r.target)
                                        .collect(Collectors.joining(", ")))
                                .append(c.failure == null ? "" : " failure " + c.failure).append('\n');
                    }
                }
            }
        } finally {
            ctx.ungetService(ref);
        }
        return sb.toString();
    }
}
