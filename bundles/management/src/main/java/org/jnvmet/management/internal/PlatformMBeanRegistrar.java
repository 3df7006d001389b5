package org.jnvmet.management.internal;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Plain Java: registers directly on an MBean server (normally the platform one). */
final class PlatformMBeanRegistrar implements MBeanRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformMBeanRegistrar.class);

    private final MBeanServer server;

    PlatformMBeanRegistrar(MBeanServer server) {
        this.server = server;
    }

    @Override
    public <T> Object register(ObjectName name, Class<T> type, T bean) {
        try {
            return server.registerMBean(bean, name).getObjectName();
        } catch (InstanceAlreadyExistsException e) {
            LOG.warn("MBean {} is already registered by someone else; not exporting it", name);
        } catch (MBeanRegistrationException | NotCompliantMBeanException e) {
            LOG.warn("cannot register MBean {}", name, e);
        }
        return null;
    }

    @Override
    public void unregister(Object handle) {
        try {
            server.unregisterMBean((ObjectName) handle);
        } catch (InstanceNotFoundException e) {
            LOG.debug("MBean {} was already unregistered", handle);
        } catch (MBeanRegistrationException e) {
            LOG.warn("cannot unregister MBean {}", handle, e);
        }
    }
}
