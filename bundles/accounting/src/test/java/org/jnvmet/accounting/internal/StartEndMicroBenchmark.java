package org.jnvmet.accounting.internal;

import java.util.concurrent.CyclicBarrier;

import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.DeviceCounters.HostSession;
import org.jnvmet.spi.accounting.DeviceCounters.Op;

/**
 * Rough cost of one start/end pair, single-threaded and with 2 threads on one device. Not a test and not run by
 * the build; run it by hand, e.g.
 * {@code java -cp target/classes:target/test-classes:<api jar>:<slf4j-api jar> org.jnvmet.accounting.internal.StartEndMicroBenchmark}.
 */
public final class StartEndMicroBenchmark {
    private static final int WARMUP_PAIRS = 2_000_000;
    private static final int MEASURED_PAIRS = 10_000_000;

    private StartEndMicroBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (int round = 0; round < 3; round++) {
            System.out.printf("round %d: 1 thread  %.1f ns/pair%n", round, singleThread());
            System.out.printf("round %d: 2 threads %.1f ns/pair per thread%n", round, twoThreads());
        }
    }

    private static double singleThread() {
        DeviceCounters dev = new AccountingServiceImpl().device("bench1");
        HostSession session = dev.session("nqn.2024-01.org.jnvmet:bench", 1);
        loop(dev, session, WARMUP_PAIRS);
        long t0 = System.nanoTime();
        loop(dev, session, MEASURED_PAIRS);
        return (double) (System.nanoTime() - t0) / MEASURED_PAIRS;
    }

    private static double twoThreads() throws Exception {
        DeviceCounters dev = new AccountingServiceImpl().device("bench2");
        CyclicBarrier barrier = new CyclicBarrier(2);
        double[] nsPerPair = new double[2];
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int id = t;
            HostSession session = dev.session("nqn.2024-01.org.jnvmet:bench", id + 1);
            threads[t] = new Thread(() -> {
                try {
                    loop(dev, session, WARMUP_PAIRS);
                    barrier.await();
                    long t0 = System.nanoTime();
                    loop(dev, session, MEASURED_PAIRS);
                    nsPerPair[id] = (double) (System.nanoTime() - t0) / MEASURED_PAIRS;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return (nsPerPair[0] + nsPerPair[1]) / 2;
    }

    private static void loop(DeviceCounters dev, HostSession session, int pairs) {
        for (int i = 0; i < pairs; i++) {
            Op op = (i & 1) == 0 ? Op.READ : Op.WRITE;
            dev.end(op, 8, dev.start(op), false, session);
        }
    }
}
