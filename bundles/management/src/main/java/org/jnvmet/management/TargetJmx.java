package org.jnvmet.management;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** JMX naming of the target's MBeans (the accounting bundle's devices share the domain). */
public final class TargetJmx {
    public static final String DOMAIN = "org.jnvmet";
    /** Service property the OSGi JMX whiteboard (Aries, as in Karaf's management feature) registers MBeans by. */
    public static final String JMX_OBJECTNAME_PROPERTY = "jmx.objectname";

    private TargetJmx() {
    }

    /** {@code org.jnvmet:type=Target}. */
    public static ObjectName target() {
        return name(DOMAIN + ":type=Target");
    }

    /** {@code org.jnvmet:type=Port,id=N}. */
    public static ObjectName port(int portId) {
        return name(DOMAIN + ":type=Port,id=" + portId);
    }

    /** {@code org.jnvmet:type=Subsystem,nqn="<nqn>"}; quoted because NQNs contain ':' (and may contain ','). */
    public static ObjectName subsystem(String nqn) {
        return name(DOMAIN + ":type=Subsystem,nqn=" + ObjectName.quote(nqn));
    }

    /** {@code org.jnvmet:type=Controller,subsystem="<nqn>",cntlid=N}. */
    public static ObjectName controller(String subsystemNqn, int cntlid) {
        return name(DOMAIN + ":type=Controller,subsystem=" + ObjectName.quote(subsystemNqn) + ",cntlid=" + cntlid);
    }

    /** Every MBean of one type, e.g. {@code pattern("Port")}. */
    public static ObjectName pattern(String type) {
        return name(DOMAIN + ":type=" + type + ",*");
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a JMX name: " + text, e);
        }
    }
}
