package org.jnvmet.management.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import javax.management.DynamicMBean;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.jnvmet.management.TargetJmx;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OSGi: each bean is a service with {@code jmx.objectname}; the JMX whiteboard puts it on the MBean server. The
 * service is the bean wrapped as an MXBean ({@link StandardMBean} with {@code isMXBean}), registered as a
 * {@link DynamicMBean}: the Aries whiteboard registers a DynamicMBean as it is, whereas it would wrap a plain bean as
 * a standard MBean, and clients would then need jnvmet's classes to read the namespace list.
 */
final class WhiteboardMBeanRegistrar implements MBeanRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(WhiteboardMBeanRegistrar.class);

    private final BundleContext context;

    WhiteboardMBeanRegistrar(BundleContext context) {
        this.context = context;
    }

    @Override
    public <T> Object register(ObjectName name, Class<T> type, T bean) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(TargetJmx.JMX_OBJECTNAME_PROPERTY, name.toString());
        try {
            return context.registerService(DynamicMBean.class, new StandardMBean(bean, type, true), props);
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot export MBean {}", name, e);
            return null;
        }
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
