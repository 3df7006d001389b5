package org.jnvmet.accounting.internal;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jnvmet.accounting.AccountingJmx;
import org.jnvmet.accounting.AccountingService;
import org.jnvmet.accounting.DeviceListener;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Exports one {@link org.jnvmet.accounting.DeviceStatsMXBean} per accounted device, following the service's device
 * additions and removals: as {@code jmx.objectname} whiteboard services under OSGi, on the platform MBean server in
 * plain Java.
 */
@Component(service = {}, immediate = true)
public final class AccountingJmxExporter implements DeviceListener, AutoCloseable {
    private final AccountingService accounting;
    private final MBeanRegistrar registrar;
    /** Device name to registrar handle; guarded by this. */
    private final Map<String, Object> registrations = new HashMap<>();
    private boolean closed;

    /** Plain Java: registers on the platform MBean server. */
    public AccountingJmxExporter(AccountingService accounting) {
        this(accounting, new PlatformMBeanRegistrar(ManagementFactory.getPlatformMBeanServer()));
    }

    /** OSGi: registers whiteboard services, which the framework's JMX whiteboard exposes. */
    @Activate
    public AccountingJmxExporter(@Reference(name = "accounting") AccountingService accounting,
            BundleContext context) {
        this(accounting, new WhiteboardMBeanRegistrar(context));
    }

    AccountingJmxExporter(AccountingService accounting, MBeanRegistrar registrar) {
        this.accounting = accounting;
        this.registrar = registrar;
        accounting.addListener(this);
    }

    @Override
    public synchronized void deviceAdded(String device) {
        if (closed || registrations.containsKey(device)) {
            return;
        }
        Object handle = registrar.register(AccountingJmx.objectName(device), new DeviceStatsMBean(accounting, device));
        if (handle != null) {
            registrations.put(device, handle);
        }
    }

    @Override
    public synchronized void deviceRemoved(String device) {
        Object handle = registrations.remove(device);
        if (handle != null) {
            registrar.unregister(handle);
        }
    }

    @Deactivate
    @Override
    public void close() {
        accounting.removeListener(this);
        List<Object> handles;
        synchronized (this) {
            closed = true;
            handles = new ArrayList<>(registrations.values());
            registrations.clear();
        }
        handles.forEach(registrar::unregister);
    }
}
