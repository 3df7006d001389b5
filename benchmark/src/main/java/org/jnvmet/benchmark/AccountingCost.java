package org.jnvmet.benchmark;

import java.util.concurrent.atomic.LongAdder;
import org.jnvmet.accounting.internal.AccountingServiceImpl;
import org.jnvmet.spi.accounting.DeviceCounters;

/**
 * The accounting work the core does per I/O, timed alone on one thread as the target's event loop does it:
 * {@code DeviceCounters.start} before the backend call and {@code end} with the host session after it (what
 * IoCommands does with accounting on), against the same loop without them. End-to-end on a shared 2-CPU machine the
 * difference drowns in +-10% noise; this isolates it. {@code benchmark/run.sh --accounting both} runs it
 * on the target's CPU and sets it against the measured CPU per I/O; alone: {@code benchmark/run.sh
 * --accounting-cost}.
 */
public final class AccountingCost {
    private AccountingCost() {
    }

    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        AccountingServiceImpl service = new AccountingServiceImpl();
        DeviceCounters dev = service.device("jnvmet!bench!ns1");
        DeviceCounters.HostSession session = dev.session("nqn.2014-08.org.nvmexpress:uuid:bench", 1);
        LongAdder smartCommands = new LongAdder();
        LongAdder smartSectors = new LongAdder();
        long sink = 0;
        double[] costs = new double[5];
        for (int round = 0; round < costs.length; round++) {
            long base = System.nanoTime();
            sink += baseline(n, smartCommands, smartSectors);
            long mid = System.nanoTime();
            sink += accounted(n, dev, session, smartCommands, smartSectors);
            long end = System.nanoTime();
            double b = (mid - base) / (double) n;
            double a = (end - mid) / (double) n;
            costs[round] = a - b;
            System.out.printf("round %d: without accounting %.1f ns/IO, with %.1f ns/IO: accounting costs %.1f ns/IO%n",
                    round + 1, b, a, a - b);
        }
        System.out.printf("MEDIAN %.1f%n", Report.median(costs));
        System.out.println("(checksum " + sink + ", " + service.list().get(0).toDiskstatsLine().trim() + ")");
    }

    /** The SMART counting the core does for every read anyway, plus a nanoTime as the I/O path has. */
    private static long baseline(long n, LongAdder commands, LongAdder sectors) {
        long t = 0;
        for (long i = 0; i < n; i++) {
            t += System.nanoTime() & 1;
            commands.increment();
            sectors.add(8);
        }
        return t;
    }

    private static long accounted(long n, DeviceCounters dev, DeviceCounters.HostSession s, LongAdder commands,
            LongAdder sectors) {
        long t = 0;
        for (long i = 0; i < n; i++) {
            t += System.nanoTime() & 1;
            long start = dev.start(DeviceCounters.Op.READ);
            commands.increment();
            sectors.add(8);
            dev.end(DeviceCounters.Op.READ, 8, start, false, s);
        }
        return t;
    }
}
