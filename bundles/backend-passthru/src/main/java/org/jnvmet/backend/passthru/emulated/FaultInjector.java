package org.jnvmet.backend.passthru.emulated;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-opcode faults of an emulated controller: a command matching a rule completes with the rule's status (an NVMe
 * status, or a negative errno as the Linux ioctl would return) instead of executing, after the rule's delay. Rules
 * apply to commands submitted after they are set. Thread-safe.
 */
public final class FaultInjector {
    /** Rule count for "until cleared". */
    public static final int FOREVER = -1;

    record Rule(int status, long delayMillis, AtomicInteger remaining) {
        /** Consumes one use; false when the rule is spent. */
        boolean take() {
            if (remaining.get() == FOREVER) {
                return true;
            }
            return remaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
        }
    }

    private final ConcurrentHashMap<Integer, Rule> rules = new ConcurrentHashMap<>();
    private volatile long defaultDelayMillis;

    private static int key(boolean admin, int opcode) {
        return (admin ? 0x100 : 0) | (opcode & 0xFF);
    }

    /** Fails every admin command {@code opcode} with {@code status} until cleared. */
    public FaultInjector failAdmin(int opcode, int status) {
        return failAdmin(opcode, status, FOREVER);
    }

    /** Fails the next {@code times} admin commands {@code opcode} with {@code status}. */
    public FaultInjector failAdmin(int opcode, int status, int times) {
        rules.put(key(true, opcode), new Rule(status, 0, new AtomicInteger(times)));
        return this;
    }

    public FaultInjector failIo(int opcode, int status) {
        return failIo(opcode, status, FOREVER);
    }

    public FaultInjector failIo(int opcode, int status, int times) {
        rules.put(key(false, opcode), new Rule(status, 0, new AtomicInteger(times)));
        return this;
    }

    /** Delays every admin command {@code opcode} by {@code millis} before it executes normally. */
    public FaultInjector delayAdmin(int opcode, long millis) {
        rules.put(key(true, opcode), new Rule(0, millis, new AtomicInteger(FOREVER)));
        return this;
    }

    public FaultInjector delayIo(int opcode, long millis) {
        rules.put(key(false, opcode), new Rule(0, millis, new AtomicInteger(FOREVER)));
        return this;
    }

    /** Fails admin commands {@code opcode} with {@code status} after {@code millis}. */
    public FaultInjector failAdminAfter(int opcode, int status, long millis) {
        rules.put(key(true, opcode), new Rule(status, millis, new AtomicInteger(FOREVER)));
        return this;
    }

    public FaultInjector failIoAfter(int opcode, int status, long millis) {
        rules.put(key(false, opcode), new Rule(status, millis, new AtomicInteger(FOREVER)));
        return this;
    }

    /** Delays every command without a rule of its own by {@code millis} (0 to stop). */
    public FaultInjector delayAll(long millis) {
        defaultDelayMillis = millis;
        return this;
    }

    public void clear() {
        rules.clear();
        defaultDelayMillis = 0;
    }

    /** The rule for a command about to be submitted, or null. */
    Rule match(boolean admin, int opcode) {
        Rule r = rules.get(key(admin, opcode));
        if (r != null && r.take()) {
            return r;
        }
        long d = defaultDelayMillis;
        return d > 0 ? new Rule(0, d, new AtomicInteger(FOREVER)) : null;
    }
}
