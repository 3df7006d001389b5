package org.jnvmet.management.internal;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.management.ControllerMXBean;
import org.jnvmet.management.PortMXBean;
import org.jnvmet.management.SubsystemMXBean;
import org.jnvmet.management.TargetJmx;
import org.jnvmet.management.TargetMXBean;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports the target's ports, subsystems and live controllers as MXBeans ({@link TargetJmx} names), plus
 * {@code org.jnvmet:type=Target}. Each refresh reads the target once ({@link TargetSnapshot}) and adds, updates
 * and removes MBeans to match; refreshes run every {@code refreshIntervalSeconds} on a daemon thread and on demand
 * ({@link TargetMXBean#refresh()}). Under OSGi the MBeans are {@code jmx.objectname} whiteboard services; in plain
 * Java {@code new TargetMBeans(target, ManagementFactory.getPlatformMBeanServer(), Duration.ofSeconds(5))}.
 */
@Component(service = {}, immediate = true, configurationPid = TargetMBeans.PID)
@Designate(ocd = TargetMBeans.Config.class)
public final class TargetMBeans implements AutoCloseable {
    public static final String PID = "org.jnvmet.management";
    private static final Logger LOG = LoggerFactory.getLogger(TargetMBeans.class);

    @ObjectClassDefinition(name = "jnvmet JMX", description = "MBeans of ports, subsystems and controllers")
    public @interface Config {
        @AttributeDefinition(name = "Refresh interval", description = "Seconds between re-reads of the target; "
                + "0 refreshes only when the Target MBean's refresh operation is invoked", min = "0")
        long refreshIntervalSeconds() default 5;
    }

    private final NvmeTarget target;
    private final MBeanRegistrar registrar;
    private final Clock clock;
    private final Duration interval;
    private final TargetBean targetBean;
    private final Object targetHandle;
    private final MBeanSet<Integer, TargetSnapshot.PortView, PortBean> ports;
    private final MBeanSet<String, TargetSnapshot.SubsystemView, SubsystemBean> subsystems;
    private final MBeanSet<TargetSnapshot.ControllerKey, org.jnvmet.api.ControllerInfo, ControllerBean> controllers;
    private final ScheduledExecutorService timer;
    private boolean closed;

    /** OSGi: whiteboard services, which the framework's JMX whiteboard registers. */
    @Activate
    public TargetMBeans(@Reference(name = "target") NvmeTarget target, BundleContext context, Config config) {
        this(target, new WhiteboardMBeanRegistrar(context), Duration.ofSeconds(config.refreshIntervalSeconds()),
                Clock.systemUTC());
    }

    /** Plain Java: straight onto {@code server}; {@code interval} zero for on-demand refreshes only. */
    public TargetMBeans(NvmeTarget target, MBeanServer server, Duration interval) {
        this(target, new PlatformMBeanRegistrar(server), interval, Clock.systemUTC());
    }

    /** Plain Java on the platform MBean server. */
    public TargetMBeans(NvmeTarget target, Duration interval) {
        this(target, ManagementFactory.getPlatformMBeanServer(), interval);
    }

    TargetMBeans(NvmeTarget target, MBeanRegistrar registrar, Duration interval, Clock clock) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("refresh interval must not be negative: " + interval);
        }
        this.target = target;
        this.registrar = registrar;
        this.clock = clock;
        this.interval = interval;
        this.ports = new MBeanSet<>(registrar, PortMXBean.class, TargetJmx::port, PortBean::new, PortBean::update);
        this.subsystems = new MBeanSet<>(registrar, SubsystemMXBean.class, TargetJmx::subsystem, SubsystemBean::new,
                SubsystemBean::update);
        this.controllers = new MBeanSet<>(registrar, ControllerMXBean.class,
                k -> TargetJmx.controller(k.subsystemNqn(), k.cntlid()), ControllerBean::new, ControllerBean::update);
        this.targetBean = new TargetBean(this::refresh, interval.toSeconds());
        refresh();
        this.targetHandle = registrar.register(TargetJmx.target(), TargetMXBean.class, targetBean);
        if (interval.isZero()) {
            timer = null;
        } else {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jnvmet-jmx-refresh");
                t.setDaemon(true);
                return t;
            });
            long ms = interval.toMillis();
            timer.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Re-reads the target and brings the MBeans in line with it. */
    public synchronized void refresh() {
        if (closed) {
            return;
        }
        TargetSnapshot s = TargetSnapshot.capture(target, clock.instant());
        ports.sync(s.ports());
        subsystems.sync(s.subsystems());
        controllers.sync(s.controllers());
        targetBean.update(s);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // keep the periodic refresh alive; the next one may succeed (e.g. while the core restarts)
            LOG.warn("refreshing the jnvmet MBeans failed", e);
        }
    }

    /** Registered MBeans of ports, subsystems and controllers, for tests. */
    synchronized int[] counts() {
        return new int[] {ports.size(), subsystems.size(), controllers.size()};
    }

    @Deactivate
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            controllers.clear();
            subsystems.clear();
            ports.clear();
            if (targetHandle != null) {
                registrar.unregister(targetHandle);
            }
        }
    }
}
