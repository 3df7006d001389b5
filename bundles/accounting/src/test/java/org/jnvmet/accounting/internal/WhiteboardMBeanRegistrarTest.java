package org.jnvmet.accounting.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;


import org.jnvmet.accounting.AccountingJmx;
import org.jnvmet.accounting.DeviceStatsMXBean;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Under OSGi the exporter publishes whiteboard services; a recording BundleContext stands in for the framework. */
class WhiteboardMBeanRegistrarTest {

    private record Registered(Class<?> type, Object service, Dictionary<?, ?> props) {
    }

    @Test
    void devicesBecomeServicesWithTheirObjectName() {
        List<Registered> registered = new ArrayList<>();
        List<String> unregistered = new ArrayList<>();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] instanceof Class<?> type) {
                        Registered r = new Registered(type, args[1], (Dictionary<?, ?>) args[2]);
                        registered.add(r);
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        unregistered.add((String) r.props.get(AccountingJmx.JMX_OBJECTNAME_PROPERTY));
                                    }
                                    return null;
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });

        AccountingServiceImpl accounting = new AccountingServiceImpl();
        accounting.device("nvme-x");
        AccountingJmxExporter exporter = new AccountingJmxExporter(accounting, context);
        accounting.device("nvme-y");
        accounting.remove("nvme-x");

        assertEquals(2, registered.size());
        Registered x = registered.get(0);
        assertSame(DeviceStatsMXBean.class, x.type);
        assertEquals("org.jnvmet:type=Accounting,device=\"nvme-x\"",
                x.props.get(AccountingJmx.JMX_OBJECTNAME_PROPERTY));
        assertEquals("nvme-x", ((DeviceStatsMXBean) x.service).getName());
        assertEquals(List.of("org.jnvmet:type=Accounting,device=\"nvme-x\""), unregistered);

        exporter.close();
        assertEquals(List.of("org.jnvmet:type=Accounting,device=\"nvme-x\"",
                "org.jnvmet:type=Accounting,device=\"nvme-y\""), unregistered);
        accounting.device("nvme-z");
        assertEquals(2, registered.size(), "a closed exporter registers nothing");
    }
}
