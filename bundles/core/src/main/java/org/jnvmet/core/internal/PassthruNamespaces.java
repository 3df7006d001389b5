package org.jnvmet.core.internal;

import java.util.Arrays;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.IoAccounting;

/**
 * The namespaces of a passthru controller as accounting devices, named like the local block devices would be
 * ({@code nvme0n1}; {@code emulated-demo-n1} for names that do not end in a digit). NSIDs 1..{@value #MAX_NSID}
 * are counted (NVMET_MAX_NAMESPACES); the I/O path looks them up in a copy-on-write array without locking or
 * allocating. Which NSIDs exist is learnt from the device (Identify active namespace list) and refreshed on
 * namespace change events.
 */
final class PassthruNamespaces {
    static final int MAX_NSID = 1024;
    private static final Entry[] NONE = new Entry[0];

    /** One device namespace and its counters while an {@link IoAccounting} is bound. */
    static final class Entry {
        final int nsid;
        final String deviceName;
        volatile DeviceCounters counters;

        Entry(int nsid, String deviceName) {
            this.nsid = nsid;
            this.deviceName = deviceName;
        }
    }

    private final String controllerName;
    private volatile Entry[] byNsid = NONE;
    private IoAccounting accounting;

    PassthruNamespaces(String controllerName) {
        this.controllerName = controllerName;
    }

    /** {@code nvme0} + 1 gives {@code nvme0n1}; {@code emulated:demo} + 1 gives {@code emulated-demo-n1}. */
    static String deviceName(String controllerName, int nsid) {
        String base = controllerName.replace(':', '-').replace('/', '-');
        boolean digit = !base.isEmpty() && Character.isDigit(base.charAt(base.length() - 1));
        return base + (digit ? "n" : "-n") + Integer.toUnsignedString(nsid);
    }

    /** The namespace with this NSID, or null if the device did not list it (or it is beyond MAX_NSID). */
    Entry find(int nsid) {
        Entry[] a = byNsid;
        return nsid > 0 && nsid < a.length ? a[nsid] : null;
    }

    /** Replaces the set of namespaces by the device's active list; counters of vanished ones are dropped. */
    synchronized void update(int[] activeNsids) {
        int max = 0;
        for (int nsid : activeNsids) {
            if (nsid > 0 && nsid <= MAX_NSID) {
                max = Math.max(max, nsid);
            }
        }
        Entry[] old = byNsid;
        Entry[] next = new Entry[max + 1];
        for (int nsid : activeNsids) {
            if (nsid > 0 && nsid <= MAX_NSID) {
                Entry e = nsid < old.length ? old[nsid] : null;
                if (e == null) {
                    e = new Entry(nsid, deviceName(controllerName, nsid));
                    e.counters = accounting == null ? null : accounting.device(e.deviceName);
                }
                next[nsid] = e;
            }
        }
        for (int nsid = 1; nsid < old.length; nsid++) {
            if (old[nsid] != null && (nsid >= next.length || next[nsid] == null)) {
                drop(old[nsid]);
            }
        }
        byNsid = next;
    }

    /** Binds (or with null unbinds) accounting: every namespace gets its device counters. */
    synchronized void bind(IoAccounting acc) {
        accounting = acc;
        for (Entry e : byNsid) {
            if (e != null) {
                e.counters = acc == null ? null : acc.device(e.deviceName);
            }
        }
    }

    /** The binding goes away: every namespace's counters are removed from accounting. */
    synchronized void clear() {
        for (Entry e : byNsid) {
            if (e != null) {
                drop(e);
            }
        }
        byNsid = NONE;
    }

    private void drop(Entry e) {
        e.counters = null;
        if (accounting != null) {
            accounting.remove(e.deviceName);
        }
    }

    /** NSIDs known, for diagnostics. */
    int[] nsids() {
        return Arrays.stream(byNsid).filter(e -> e != null).mapToInt(e -> e.nsid).toArray();
    }
}
