package org.jnvmet.backend.passthru.emulated;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jnvmet.protocol.nvme.FeatureId;

/** Current values of the features the emulated controller supports; three of them carry a data buffer. */
final class FeatureStore {
    /** Autonomous Power State Transition data: 32 entries of 8 bytes (NVMe Base 2.0, Figure 328). */
    static final int APST_DATA_SIZE = 256;
    /** Timestamp data (Figure 339). */
    static final int TIMESTAMP_DATA_SIZE = 8;
    /** Host Behavior Support data (Figure 351). */
    static final int HOST_BEHAVIOR_DATA_SIZE = 512;
    static final int VENDOR_FEATURE = 0xC0;
    /** Queues the controller offers: 64 submission and completion queues (0's based 63). */
    static final int QUEUES_63 = 0x003F003F;

    private static final Map<Integer, Integer> DEFAULTS = Map.ofEntries(
            Map.entry(FeatureId.ARBITRATION, 0),
            Map.entry(FeatureId.POWER_MANAGEMENT, 0),
            Map.entry(FeatureId.TEMPERATURE_THRESHOLD, 343), // 70 degrees C, in Kelvin
            Map.entry(FeatureId.ERROR_RECOVERY, 0),
            Map.entry(FeatureId.VOLATILE_WRITE_CACHE, 1),
            Map.entry(FeatureId.NUMBER_OF_QUEUES, QUEUES_63),
            Map.entry(FeatureId.INTERRUPT_COALESCING, 0),
            Map.entry(FeatureId.INTERRUPT_VECTOR_CONFIGURATION, 0),
            Map.entry(FeatureId.WRITE_ATOMICITY_NORMAL, 0),
            Map.entry(FeatureId.ASYNC_EVENT_CONFIGURATION, 0),
            Map.entry(FeatureId.AUTONOMOUS_POWER_STATE_TRANSITION, 0),
            Map.entry(FeatureId.TIMESTAMP, 0),
            Map.entry(FeatureId.HOST_CONTROLLED_THERMAL_MANAGEMENT, 0),
            Map.entry(FeatureId.NON_OPERATIONAL_POWER_STATE_CONFIG, 0),
            Map.entry(FeatureId.HOST_BEHAVIOR_SUPPORT, 0),
            Map.entry(FeatureId.SOFTWARE_PROGRESS_MARKER, 0),
            Map.entry(VENDOR_FEATURE, 0));

    private final ConcurrentHashMap<Integer, Integer> current = new ConcurrentHashMap<>(DEFAULTS);
    final byte[] apst = new byte[APST_DATA_SIZE];
    final byte[] hostBehavior = new byte[HOST_BEHAVIOR_DATA_SIZE];
    /** Host time minus local time, in ms, after a Set Features Timestamp. */
    volatile long timestampOffsetMillis;

    boolean supports(int fid) {
        return DEFAULTS.containsKey(fid);
    }

    int defaultValue(int fid) {
        return DEFAULTS.get(fid);
    }

    int get(int fid) {
        return current.get(fid);
    }

    void set(int fid, int value) {
        current.put(fid, value);
    }

    /** Size of the data buffer a feature transfers, 0 for dword-only features. */
    static int dataSize(int fid) {
        return switch (fid) {
            case FeatureId.AUTONOMOUS_POWER_STATE_TRANSITION -> APST_DATA_SIZE;
            case FeatureId.TIMESTAMP -> TIMESTAMP_DATA_SIZE;
            case FeatureId.HOST_BEHAVIOR_SUPPORT -> HOST_BEHAVIOR_DATA_SIZE;
            default -> 0;
        };
    }
}
