package org.jnvmet.accounting.internal;

import javax.management.ObjectName;

import org.jnvmet.accounting.DeviceStatsMXBean;

/** Where the exporter puts its MBeans: straight into an MBean server, or into the OSGi JMX whiteboard. */
interface MBeanRegistrar {
    /** Returns a handle for {@link #unregister}, or null if the bean could not be registered. */
    Object register(ObjectName name, DeviceStatsMXBean bean);

    void unregister(Object handle);
}
