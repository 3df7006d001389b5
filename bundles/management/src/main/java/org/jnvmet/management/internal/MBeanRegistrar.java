package org.jnvmet.management.internal;

import javax.management.ObjectName;

/** Where the MBeans go: straight into an MBean server (plain Java), or into the OSGi JMX whiteboard. */
interface MBeanRegistrar {
    /** Returns a handle for {@link #unregister}, or null if the bean could not be registered. */
    <T> Object register(ObjectName name, Class<T> type, T bean);

    void unregister(Object handle);
}
