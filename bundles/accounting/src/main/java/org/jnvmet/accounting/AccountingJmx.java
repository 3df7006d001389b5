package org.jnvmet.accounting;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** JMX naming of the accounting MBeans. */
public final class AccountingJmx {
    public static final String DOMAIN = "org.jnvmet";
    public static final String TYPE = "Accounting";
    /** Service property the OSGi JMX whiteboard (Aries/Karaf) turns into an MBean registration. */
    public static final String JMX_OBJECTNAME_PROPERTY = "jmx.objectname";

    private AccountingJmx() {
    }

    /** {@code org.jnvmet:type=Accounting,device="<name>"}; the name is quoted because NQNs contain ':' and ','. */
    public static ObjectName objectName(String device) {
        try {
            return new ObjectName(DOMAIN + ":type=" + TYPE + ",device=" + ObjectName.quote(device));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("device name not usable in JMX: " + device, e);
        }
    }

    /** Pattern matching every accounting MBean. */
    public static ObjectName pattern() {
        try {
            return new ObjectName(DOMAIN + ":type=" + TYPE + ",*");
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}
