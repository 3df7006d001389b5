package org.jnvmet.core.internal.passthru;

import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.QueueLimits;

/**
 * Register values and limits of a passthru controller: CAP and VS as Linux derives them ({@code nvmet_init_cap},
 * {@code nvmet_passthrough_override_cap}, {@code nvmet_passthru_ctrl_enable}) and MDTS from the device's queue
 * limits ({@code nvmet_passthru_override_id_ctrl}).
 */
public final class PassthruCapabilities {
    /** The lowest version a passthru subsystem advertises: NVMe 1.2.1. */
    public static final int MIN_VERSION = ControllerRegisters.version(1, 2, 1);
    /** CAP.TO: 15 x 500 ms for CC.EN transitions. */
    static final int CAP_TIMEOUT = 15;
    /** Largest MDTS a passthru target reports: one bio of BIO_MAX_VECS 4 KiB pages, 1 MiB. */
    public static final int MAX_MDTS = 8;

    private PassthruCapabilities() {
    }

    /**
     * CAP of a passthru controller: NVM command set, CAP.CSS bit 6 only when the device itself runs with I/O command
     * sets, TO 15, MQES from the target's queue size, MPSMIN 0 (4 KiB).
     *
     * @param maxQueueSize the target's largest queue (port max_queue_size, bounded by the transport), 16..65536
     */
    public static long cap(int maxQueueSize, boolean deviceMultipleCommandSets) {
        if (maxQueueSize < 2 || maxQueueSize > 65536) {
            throw new IllegalArgumentException("queue size out of range: " + maxQueueSize);
        }
        long cap = ControllerRegisters.CAP_CSS_NVM | (long) CAP_TIMEOUT << ControllerRegisters.CAP_TO_SHIFT
                | (maxQueueSize - 1);
        if (deviceMultipleCommandSets) {
            cap |= ControllerRegisters.CAP_CSS_IO_COMMAND_SETS;
        }
        return cap;
    }

    public static long cap(int maxQueueSize, NvmeDevice device) {
        return cap(maxQueueSize, device.multipleCommandSets());
    }

    /** VS / Identify VER of a passthru subsystem: the device's, raised to at least 1.2.1 (also when it reports 0). */
    public static int version(int deviceVersion) {
        return Integer.compareUnsigned(deviceVersion, MIN_VERSION) < 0 ? MIN_VERSION : deviceVersion;
    }

    /**
     * MDTS for the device's queue limits: ilog2(max transfer sectors) + 9 - (12 + MPSMIN), where the transfer is
     * bounded by max_segments pages, max_hw_sectors and one bio of BIO_MAX_VECS pages; at most 8 with 4 KiB pages.
     * Never 0 (which would mean "no limit"): a limit below one page still reports one page.
     *
     * @param mpsmin the target's CAP.MPSMIN (0: Linux's nvmet_init_cap leaves it 0)
     */
    public static int mdts(QueueLimits limits, int mpsmin) {
        long sectors = limits.maxTransferSectors();
        int log2 = 63 - Long.numberOfLeadingZeros(sectors);
        int mdts = log2 + 9 - (12 + mpsmin);
        return Math.max(1, mdts);
    }

    /** Bytes an MDTS value allows with 4 KiB pages (MPSMIN 0): the largest transfer the target should accept. */
    public static long maxTransferBytes(int mdts) {
        return 4096L << mdts;
    }
}
