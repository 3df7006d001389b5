package org.jnvmet.itests.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jnvmet.host.HostNamespace;

/**
 * Continuous verified writes and reads from one host session on its own thread, for tests that replace target
 * bundles underneath it.
 *
 * <p>The namespace is cut into slots of {@link #SLOT_BLOCKS} blocks. Every write puts a fresh {@link BlockPattern}
 * seed into one slot; once its completion is a success the slot is remembered with that seed (an acknowledged
 * write), and the slot is read back at once. A write that failed leaves the slot in doubt: each of its blocks may
 * hold the old or the new data until a later write to it is acknowledged. Whenever an I/O fails the host
 * reconnects ({@code HostController.reconnect}) and then reads back every remembered slot; so it does whenever the
 * test asks ({@link #requestVerification()}). A block that reads back as anything but what was acknowledged (or,
 * in doubt, the one write not acknowledged) is a failure, with one exception for devices that are known not to
 * survive their replacement (see {@link DeviceSwaps}).
 */
public final class VerifiedWorkload implements AutoCloseable {
    public static final int SLOT_BLOCKS = 8;
    private static final long RETRY_PAUSE_MS = 50;

    /** How the last full read-back ended. */
    public enum Outcome { NONE, ALL_INTACT, DEVICE_REPLACED }

    /** A remembered slot: the seed of its last acknowledged write (0: none) and of a write in doubt (0: none). */
    private static final class Slot {
        long acknowledged;
        long inDoubt;
    }

    private final String name;
    private final TcpHostSession host;
    private final int nsid;
    private final int slots;
    private final DeviceSwaps swaps;
    private final Thread thread;

    // owned by the workload thread
    private final Map<Integer, Slot> remembered = new HashMap<>();
    private final SplittableRandom random;
    private long nextSeed;
    /** Identified once per connection, so that each I/O is one command. */
    private HostNamespace namespace;
    /** {@link DeviceSwaps#completed()} when the last read-back that found every block intact began. */
    private long intactAtSwap;

    private final AtomicLong acknowledgedWrites = new AtomicLong();
    private final AtomicLong failedIos = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong readBacks = new AtomicLong();
    private final AtomicLong blocksReadBack = new AtomicLong();
    private final AtomicLong replacementsSeen = new AtomicLong();
    private final AtomicLong verifyRequested = new AtomicLong();
    private final AtomicLong verifyDone = new AtomicLong();
    private final AtomicInteger rememberedSlots = new AtomicInteger();
    private final AtomicReference<Outcome> lastOutcome = new AtomicReference<>(Outcome.NONE);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();
    private final Object pauseLock = new Object();
    private volatile boolean stop;
    private boolean pauseRequested;
    private boolean paused;

    /**
     * @param slots  number of slots, from LBA 0
     * @param swaps  replacements after which losing every block is expected; null if the device must keep its data
     */
    public VerifiedWorkload(String name, TcpHostSession host, int nsid, int slots, DeviceSwaps swaps, long seed) {
        this.name = name;
        this.host = host;
        this.nsid = nsid;
        this.slots = slots;
        this.swaps = swaps;
        this.random = new SplittableRandom(seed);
        this.nextSeed = seed << 32;
        this.thread = new Thread(this::run, "itest-workload-" + name);
        thread.setDaemon(true);
    }

    public VerifiedWorkload start() {
        thread.start();
        return this;
    }

    // ---- the workload thread -------------------------------------------------------------------------------------

    private void run() {
        boolean reconnect = false;
        try {
            while (!stop) {
                awaitUnpaused();
                if (stop) {
                    break;
                }
                try {
                    if (reconnect) {
                        reconnectUntilConnected();
                        reconnect = false;
                        namespace = null;
                        readBackAll();
                    }
                    long requested = verifyRequested.get();
                    if (verifyDone.get() < requested) {
                        readBackAll();
                        verifyDone.set(requested);
                    }
                    writeAndReadBackOneSlot();
                } catch (IOException | RuntimeException e) {
                    failedIos.incrementAndGet();
                    lastError.set(e);
                    reconnect = true;
                    namespace = null;
                    sleepQuietly(RETRY_PAUSE_MS);
                }
            }
        } catch (AssertionError e) {
            failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HostNamespace namespace() throws IOException {
        if (namespace == null) {
            namespace = host.namespace(nsid);
        }
        return namespace;
    }

    private void writeAndReadBackOneSlot() throws IOException {
        HostNamespace ns = namespace();
        int slot = random.nextInt(slots);
        long seed = ++nextSeed;
        Slot s = remembered.computeIfAbsent(slot, k -> new Slot());
        rememberedSlots.set(remembered.size());
        s.inDoubt = seed;
        host.write(ns, lba(slot), SLOT_BLOCKS, seed);
        s.acknowledged = seed;
        s.inDoubt = 0;
        acknowledgedWrites.incrementAndGet();
        // Read back at once; a mismatch here is corruption whatever happens to the device later.
        host.verify(ns, lba(slot), SLOT_BLOCKS, seed);
    }

    private void reconnectUntilConnected() throws InterruptedException {
        while (!stop) {
            try {
                host.reconnect();
                reconnects.incrementAndGet();
                return;
            } catch (IOException | RuntimeException e) {
                lastError.set(e);
                Thread.sleep(RETRY_PAUSE_MS);
            }
        }
    }

    /** Reads back every remembered slot and checks each block; see the class comment. */
    private void readBackAll() throws IOException {
        long swapsCompletedAtStart = swaps == null ? 0 : swaps.completed();
        HostNamespace ns = namespace();
        int blockSize = ns.blockSize();
        long survived = 0;
        long lost = 0;
        String firstLoss = null;
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(SLOT_BLOCKS * blockSize);
        try {
            for (Map.Entry<Integer, Slot> e : remembered.entrySet()) {
                Slot s = e.getValue();
                long slba = lba(e.getKey());
                buf.clear();
                host.read(ns, slba, SLOT_BLOCKS, buf);
                int matchedAcknowledged = 0;
                int matchedInDoubt = 0;
                for (int b = 0; b < SLOT_BLOCKS; b++) {
                    int offset = b * blockSize;
                    if (s.acknowledged != 0 && matches(buf, offset, s.acknowledged, slba + b, blockSize)) {
                        matchedAcknowledged++;
                        survived++;
                    } else if (s.inDoubt != 0 && matches(buf, offset, s.inDoubt, slba + b, blockSize)) {
                        matchedInDoubt++;
                    } else if (isZero(buf, offset, blockSize)) {
                        if (s.acknowledged != 0) {
                            lost++;
                            if (firstLoss == null) {
                                firstLoss = "LBA " + (slba + b) + " reads as zeroes, acknowledged seed " + s.acknowledged;
                            }
                        }
                        // never acknowledged: a write in doubt that did not happen
                    } else {
                        throw new AssertionError(name + ": LBA " + (slba + b) + " holds data never written there "
                                + "(acknowledged seed " + s.acknowledged + ", in doubt " + s.inDoubt + ")");
                    }
                }
                if (lost == 0) {
                    // a slot in doubt whose blocks all agree on one write is settled
                    if (s.inDoubt != 0 && matchedInDoubt == SLOT_BLOCKS) {
                        s.acknowledged = s.inDoubt;
                        s.inDoubt = 0;
                    } else if (s.inDoubt != 0 && matchedAcknowledged == SLOT_BLOCKS) {
                        s.inDoubt = 0;
                    }
                }
            }
        } finally {
            buf.release();
        }
        readBacks.incrementAndGet();
        blocksReadBack.addAndGet((long) remembered.size() * SLOT_BLOCKS);
        if (lost == 0) {
            intactAtSwap = swapsCompletedAtStart;
            lastOutcome.set(Outcome.ALL_INTACT);
            return;
        }
        boolean replacementExpected = swaps != null && swaps.started() > intactAtSwap;
        if (survived == 0 && replacementExpected) {
            // The whole device was replaced by an empty one, as its design says: start remembering afresh.
            remembered.clear();
            rememberedSlots.set(0);
            replacementsSeen.incrementAndGet();
            intactAtSwap = swapsCompletedAtStart;
            lastOutcome.set(Outcome.DEVICE_REPLACED);
            return;
        }
        throw new AssertionError(name + ": " + lost + " acknowledged blocks lost, " + survived + " intact"
                + (replacementExpected ? "" : " with no device replacement since the last intact read-back")
                + "; first: " + firstLoss);
    }

    private static boolean matches(ByteBuf buf, int offset, long seed, long lba, int blockSize) {
        for (int i = 0; i < blockSize; i++) {
            if (buf.getByte(offset + i) != BlockPattern.byteAt(seed, lba, i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(ByteBuf buf, int offset, int blockSize) {
        for (int i = 0; i < blockSize; i++) {
            if (buf.getByte(offset + i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static long lba(int slot) {
        return (long) slot * SLOT_BLOCKS;
    }

    private void awaitUnpaused() throws InterruptedException {
        synchronized (pauseLock) {
            while (pauseRequested && !stop) {
                paused = true;
                pauseLock.notifyAll();
                pauseLock.wait();
            }
            paused = false;
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the test's side -----------------------------------------------------------------------------------------

    /** Asks for a read-back of every remembered slot; returns the ticket for {@link #awaitVerification}. */
    public long requestVerification() {
        return verifyRequested.incrementAndGet();
    }

    /** Waits until the read-back asked for with {@code ticket} (or a later one) found no problem. */
    public Outcome awaitVerification(long ticket, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (verifyDone.get() < ticket) {
            checkHealthy();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no read-back within " + timeout + " (" + status() + ")");
            }
            Thread.sleep(10);
        }
        checkHealthy();
        return lastOutcome.get();
    }

    /** Waits until {@code count} more writes were acknowledged (and read back). */
    public void awaitWrites(long count, Duration timeout) throws InterruptedException {
        long target = acknowledgedWrites.get() + count;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledgedWrites.get() < target) {
            checkHealthy();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": only " + (acknowledgedWrites.get() - target + count) + " of "
                        + count + " writes acknowledged within " + timeout + " (" + status() + ")");
            }
            Thread.sleep(5);
        }
        checkHealthy();
    }

    /** Throws the workload's verification failure, if any. */
    public void checkHealthy() {
        Throwable f = failure.get();
        if (f != null) {
            throw new AssertionError(name + ": data read back differs from data acknowledged", f);
        }
        if (!thread.isAlive() && !stop) {
            throw new AssertionError(name + ": workload thread died (" + status() + ")", lastError.get());
        }
    }

    /** Stops issuing I/O and waits until none is in flight. */
    public void pause(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (pauseLock) {
            pauseRequested = true;
            while (!paused) {
                checkHealthy();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + ": did not pause within " + timeout);
                }
                pauseLock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    public void resume() {
        synchronized (pauseLock) {
            pauseRequested = false;
            pauseLock.notifyAll();
        }
    }

    public long acknowledgedWrites() {
        return acknowledgedWrites.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    public long failedIos() {
        return failedIos.get();
    }

    public long readBacks() {
        return readBacks.get();
    }

    public long blocksReadBack() {
        return blocksReadBack.get();
    }

    public long deviceReplacementsSeen() {
        return replacementsSeen.get();
    }

    public int rememberedSlots() {
        return rememberedSlots.get();
    }

    public String status() {
        return name + ": " + acknowledgedWrites.get() + " writes acknowledged, " + failedIos.get() + " failed I/Os, "
                + reconnects.get() + " reconnects, " + readBacks.get() + " full read-backs (" + blocksReadBack.get()
                + " blocks), " + replacementsSeen.get() + " device replacements, " + rememberedSlots.get()
                + " slots remembered, last error: " + lastError.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        resume();
        thread.join(40_000);
        checkHealthy();
    }
}
