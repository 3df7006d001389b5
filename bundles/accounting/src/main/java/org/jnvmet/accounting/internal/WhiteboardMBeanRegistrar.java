package org.jnvmet.accounting.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import javax.management.ObjectName;

import org.jnvmet.accounting.AccountingJmx;
import org.jnvmet.accounting.DeviceStatsMXBean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** OSGi: registers each bean as a service with {@code jmx.objectname}; the JMX whiteboard puts it on the server. */
final class WhiteboardMBeanRegistrar implements MBeanRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(WhiteboardMBeanRegistrar.class);

    private final BundleContext context;

    WhiteboardMBeanRegistrar(BundleContext context) {
        this.context = context;
    }

    @Override
    public Object register(ObjectName name, DeviceStatsMXBean bean) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(AccountingJmx.JMX_OBJECTNAME_PROPERTY, name.toString());
        return context.registerService(DeviceStatsMXBean.class, bean, props);
    }

    @Override
    public void unregister(Object handle) {
        try {
            ((ServiceRegistration<?>) handle).unregister();
        } catch (IllegalStateException e) {
            LOG.debug("MBean service {} was already unregistered", handle);
        }
    }
}
