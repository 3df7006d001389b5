package org.jnvmet.accounting;

/**
 * JMX view of one device, registered as {@code org.jnvmet:type=Accounting,device="<name>"} (see
 * {@link AccountingJmx#objectName}). Attributes mirror {@link DiskStats}; each read takes a fresh snapshot.
 */
public interface DeviceStatsMXBean {
    String getName();

    int getMajor();

    int getMinor();

    long getReadsCompleted();

    long getReadsMerged();

    long getSectorsRead();

    long getReadTimeMs();

    long getWritesCompleted();

    long getWritesMerged();

    long getSectorsWritten();

    long getWriteTimeMs();

    long getIosInProgress();

    long getIoTimeMs();

    long getWeightedIoTimeMs();

    long getDiscardsCompleted();

    long getDiscardsMerged();

    long getSectorsDiscarded();

    long getDiscardTimeMs();

    long getFlushesCompleted();

    long getFlushTimeMs();

    long getReadErrors();

    long getWriteErrors();

    long getDiscardErrors();

    long getFlushErrors();

    double getReadLatencyP50Micros();

    double getReadLatencyP99Micros();

    double getReadLatencyP999Micros();

    double getWriteLatencyP50Micros();

    double getWriteLatencyP99Micros();

    double getWriteLatencyP999Micros();

    /** The device's /proc/diskstats line. */
    String getDiskstatsLine();

    /** Latency percentile of READ, WRITE, DISCARD or FLUSH, in microseconds. */
    double latencyPercentileMicros(String op, double percent);

    /** Zeroes this device's counters (see {@link AccountingService#reset}). */
    void reset();
}
