package org.jnvmet.accounting.internal;

import java.util.Locale;

import org.jnvmet.accounting.AccountingService;
import org.jnvmet.accounting.DeviceStatsMXBean;
import org.jnvmet.accounting.DiskStats;
import org.jnvmet.accounting.OpStats;
import org.jnvmet.spi.accounting.DeviceCounters.Op;

/** {@link DeviceStatsMXBean} reading through the service by name, so it never keeps a removed device alive. */
final class DeviceStatsMBean implements DeviceStatsMXBean {
    private final AccountingService accounting;
    private final String device;

    DeviceStatsMBean(AccountingService accounting, String device) {
        this.accounting = accounting;
        this.device = device;
    }

    private DiskStats stats() {
        return accounting.snapshot(device)
                .orElseThrow(() -> new IllegalStateException("device no longer accounted: " + device));
    }

    private long errors(Op op) {
        return accounting.opStats(device).getOrDefault(op, OpStats.ZERO).errors();
    }

    private double percentile(Op op, double percent) {
        return accounting.histogram(device, op).map(h -> h.percentileMicros(percent)).orElse(0.0);
    }

    @Override
    public String getName() {
        return device;
    }

    @Override
    public int getMajor() {
        return stats().major();
    }

    @Override
    public int getMinor() {
        return stats().minor();
    }

    @Override
    public long getReadsCompleted() {
        return stats().readsCompleted();
    }

    @Override
    public long getReadsMerged() {
        return stats().readsMerged();
    }

    @Override
    public long getSectorsRead() {
        return stats().sectorsRead();
    }

    @Override
    public long getReadTimeMs() {
        return stats().readTimeMs();
    }

    @Override
    public long getWritesCompleted() {
        return stats().writesCompleted();
    }

    @Override
    public long getWritesMerged() {
        return stats().writesMerged();
    }

    @Override
    public long getSectorsWritten() {
        return stats().sectorsWritten();
    }

    @Override
    public long getWriteTimeMs() {
        return stats().writeTimeMs();
    }

    @Override
    public long getIosInProgress() {
        return stats().iosInProgress();
    }

    @Override
    public long getIoTimeMs() {
        return stats().ioTimeMs();
    }

    @Override
    public long getWeightedIoTimeMs() {
        return stats().weightedIoTimeMs();
    }

    @Override
    public long getDiscardsCompleted() {
        return stats().discardsCompleted();
    }

    @Override
    public long getDiscardsMerged() {
        return stats().discardsMerged();
    }

    @Override
    public long getSectorsDiscarded() {
        return stats().sectorsDiscarded();
    }

    @Override
    public long getDiscardTimeMs() {
        return stats().discardTimeMs();
    }

    @Override
    public long getFlushesCompleted() {
        return stats().flushesCompleted();
    }

    @Override
    public long getFlushTimeMs() {
        return stats().flushTimeMs();
    }

    @Override
    public long getReadErrors() {
        return errors(Op.READ);
    }

    @Override
    public long getWriteErrors() {
        return errors(Op.WRITE);
    }

    @Override
    public long getDiscardErrors() {
        return errors(Op.DISCARD);
    }

    @Override
    public long getFlushErrors() {
        return errors(Op.FLUSH);
    }

    @Override
    public double getReadLatencyP50Micros() {
        return percentile(Op.READ, 50);
    }

    @Override
    public double getReadLatencyP99Micros() {
        return percentile(Op.READ, 99);
    }

    @Override
    public double getReadLatencyP999Micros() {
        return percentile(Op.READ, 99.9);
    }

    @Override
    public double getWriteLatencyP50Micros() {
        return percentile(Op.WRITE, 50);
    }

    @Override
    public double getWriteLatencyP99Micros() {
        return percentile(Op.WRITE, 99);
    }

    @Override
    public double getWriteLatencyP999Micros() {
        return percentile(Op.WRITE, 99.9);
    }

    @Override
    public String getDiskstatsLine() {
        return stats().toDiskstatsLine();
    }

    @Override
    public double latencyPercentileMicros(String op, double percent) {
        return percentile(Op.valueOf(op.trim().toUpperCase(Locale.ROOT)), percent);
    }

    @Override
    public void reset() {
        accounting.reset(device);
    }
}
