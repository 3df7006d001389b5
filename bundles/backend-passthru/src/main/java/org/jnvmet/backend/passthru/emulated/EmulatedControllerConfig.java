package org.jnvmet.backend.passthru.emulated;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.spi.passthru.QueueLimits;

/**
 * What an emulated controller looks like.
 *
 * @param serial              Identify SN (at most 20 characters)
 * @param model               Identify MN (at most 40)
 * @param firmware            Identify FR of slot 1 (at most 8)
 * @param vendorId            PCI vendor ID (VID, SSVID)
 * @param version             VER / VS encoding, e.g. 0x00010400 for 1.4.0
 * @param queueLimits         the driver's queue limits; transfers above max_hw_sectors_kb fail with EINVAL
 * @param namespaces          the namespaces, distinct NSIDs
 * @param commandThreads      threads executing commands
 * @param multipleCommandSets whether the controller runs with CC.CSS = I/O command sets (CAP.CSS bit 6)
 */
public record EmulatedControllerConfig(String serial, String model, String firmware, int vendorId, int version,
        QueueLimits queueLimits, List<EmulatedNamespaceConfig> namespaces, int commandThreads,
        boolean multipleCommandSets) {

    public static final int DEFAULT_VENDOR_ID = 0x1B36;
    public static final int DEFAULT_VERSION = ControllerRegisters.version(1, 4, 0);

    public EmulatedControllerConfig {
        namespaces = List.copyOf(namespaces);
        Set<Integer> seen = new HashSet<>();
        for (EmulatedNamespaceConfig ns : namespaces) {
            if (!seen.add(ns.nsid())) {
                throw new IllegalArgumentException("duplicate nsid " + ns.nsid());
            }
        }
        if (commandThreads < 1 || commandThreads > 64) {
            throw new IllegalArgumentException("command threads must be in 1..64");
        }
        if (queueLimits.maxHwSectorsKb() == 0) {
            throw new IllegalArgumentException("an emulated controller needs max_hw_sectors_kb");
        }
    }

    /**
     * The demo controller: namespace 1 of 64 MiB with 512-byte blocks, namespace 2 of 64 MiB with 4 KiB blocks and
     * namespace 3 of 16 MiB that also lists metadata formats; 512 KiB transfers in at most 128 segments (MDTS 7).
     */
    public static EmulatedControllerConfig defaults(String name) {
        return new EmulatedControllerConfig(serialFor(name), "jnvmet emulated NVMe controller", "EMU1.0",
                DEFAULT_VENDOR_ID, DEFAULT_VERSION, QueueLimits.of(512, 128),
                List.of(EmulatedNamespaceConfig.of(1, 64L << 20, 512), EmulatedNamespaceConfig.of(2, 64L << 20, 4096),
                        EmulatedNamespaceConfig.withMetadataFormats(3, 16L << 20, 512)),
                4, false);
    }

    /** A serial unique per name, so that two emulated controllers never look like one subsystem. */
    static String serialFor(String name) {
        return String.format("EMU%08X", name.hashCode());
    }

    public EmulatedControllerConfig withNamespaces(List<EmulatedNamespaceConfig> ns) {
        return new EmulatedControllerConfig(serial, model, firmware, vendorId, version, queueLimits, ns, commandThreads,
                multipleCommandSets);
    }

    public EmulatedControllerConfig withQueueLimits(QueueLimits limits) {
        return new EmulatedControllerConfig(serial, model, firmware, vendorId, version, limits, namespaces,
                commandThreads, multipleCommandSets);
    }

    public EmulatedControllerConfig withVersion(int v) {
        return new EmulatedControllerConfig(serial, model, firmware, vendorId, v, queueLimits, namespaces,
                commandThreads, multipleCommandSets);
    }

    public EmulatedControllerConfig withMultipleCommandSets(boolean multi) {
        return new EmulatedControllerConfig(serial, model, firmware, vendorId, version, queueLimits, namespaces,
                commandThreads, multi);
    }
}
