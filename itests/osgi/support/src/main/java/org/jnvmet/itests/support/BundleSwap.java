package org.jnvmet.itests.support;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Replaces a bundle the way an administrator does ({@code bundle:update}): {@link Bundle#update()} from its
 * location, then a refresh through {@link FrameworkWiring}, which restarts it (and any bundle wired to it) on a fresh
 * class loader.
 */
public final class BundleSwap {
    private BundleSwap() {
    }

    /**
     * Updates and refreshes the bundle {@code symbolicName}, waiting for the refresh to finish.
     *
     * @return the class loader of the revision that was replaced, weakly: it should become unreachable
     */
    public static WeakReference<ClassLoader> updateAndRefresh(BundleContext context, String symbolicName,
            Duration timeout) throws BundleException, InterruptedException {
        Bundle bundle = bundle(context, symbolicName);
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        WeakReference<ClassLoader> old = new WeakReference<>(wiring == null ? null : wiring.getClassLoader());
        wiring = null;
        bundle.update();
        FrameworkWiring framework = context.getBundle(0).adapt(FrameworkWiring.class);
        CountDownLatch refreshed = new CountDownLatch(1);
        AtomicReference<FrameworkEvent> outcome = new AtomicReference<>();
        framework.refreshBundles(List.of(bundle), event -> {
            outcome.set(event);
            refreshed.countDown();
        });
        if (!refreshed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("refresh of " + symbolicName + " did not finish within " + timeout);
        }
        if (outcome.get().getType() != FrameworkEvent.PACKAGES_REFRESHED) {
            throw new AssertionError("refresh of " + symbolicName + " failed", outcome.get().getThrowable());
        }
        if (bundle.getState() != Bundle.ACTIVE) {
            throw new AssertionError(symbolicName + " is not active after its update (state " + bundle.getState() + ")");
        }
        return old;
    }

    public static Bundle bundle(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
