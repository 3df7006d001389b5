package org.jnvmet.core.internal.passthru;

import io.netty.buffer.ByteBuf;
import java.util.Set;
import org.jnvmet.protocol.nvme.AdminOpcode;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.IdentifyCommand;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.NvmOpcode;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.jnvmet.spi.passthru.PassthruSpec;

/**
 * Which commands of a passthru subsystem reach the device, exactly as Linux's
 * {@code nvmet_parse_passthru_admin_cmd} / {@code nvmet_parse_passthru_io_cmd} decide, plus jnvmet's opt-in
 * forwarding of Format NVM, Sanitize and firmware commands ({@link PassthruSpec#allowedAdminOpcodes()}). Pure and
 * allocation free; thread-safe.
 *
 * <p>Call it after the target's own checks that precede it in Linux (controller ready, authentication): fabrics
 * commands (opcode 7Fh) come back {@link PassthruDecision#LOCAL} and must be handled before or instead.
 */
public final class PassthruPolicy {
    /** NVME_CMD_SGL_ALL: the PSDT bits, the only flags a passthru command may carry. */
    private static final int FLAGS_ALLOWED = SubmissionQueueEntry.FLAGS_PSDT_MASK;
    /** nvme_admin_vendor_start. */
    public static final int ADMIN_VENDOR_START = 0xC0;
    /** NVME_FEAT_VENDOR_START .. NVME_FEAT_VENDOR_END. */
    private static final int FEATURE_VENDOR_START = 0xC0;
    private static final int FEATURE_VENDOR_END = 0xFF;
    /** Feature identifiers Linux names but FeatureId lacks (NVMe Base 2.0, Figure 317). */
    static final int FEATURE_READ_RECOVERY_LEVEL = 0x12;
    static final int FEATURE_PLM_CONFIG = 0x13;
    static final int FEATURE_PLM_WINDOW = 0x14;
    static final int FEATURE_SANITIZE_CONFIG = 0x17;
    static final int FEATURE_FDP = 0x1D;

    private final boolean[] optInAdmin = new boolean[256];

    public PassthruPolicy(Set<Integer> allowedAdminOpcodes) {
        for (int op : allowedAdminOpcodes) {
            if (!PassthruSpec.OPT_IN_ADMIN_OPCODES.contains(op)) {
                throw new IllegalArgumentException("admin opcode cannot be allowed: " + op);
            }
            optInAdmin[op] = true;
        }
    }

    /** Linux's policy, nothing opted in. */
    public static PassthruPolicy linux() {
        return new PassthruPolicy(Set.of());
    }

    public static PassthruPolicy of(PassthruSpec spec) {
        return new PassthruPolicy(spec.allowedAdminOpcodes());
    }

    public PassthruDecision admin(ByteBuf sqe) {
        return admin(SubmissionQueueEntry.opcode(sqe), SubmissionQueueEntry.flags(sqe),
                SubmissionQueueEntry.cdw(sqe, 10), IdentifyCommand.csi(sqe));
    }

    /**
     * @param cdw10 whole CDW10: Linux compares the feature identifier against all of it, so a Get Features with
     *              SEL != 0 or a Set Features with the Save bit falls to the rejections
     * @param csi   Identify CDW11 bits 31:24
     */
    public PassthruDecision admin(int opcode, int flags, int cdw10, int csi) {
        if (opcode == AdminOpcode.FABRICS) {
            return PassthruDecision.LOCAL;
        }
        if ((flags & ~FLAGS_ALLOWED) != 0) {
            return PassthruDecision.REJECT_FLAGS;
        }
        if (opcode >= ADMIN_VENDOR_START) {
            return PassthruDecision.FORWARD;
        }
        return switch (opcode) {
            case AdminOpcode.ASYNC_EVENT_REQUEST, AdminOpcode.KEEP_ALIVE -> PassthruDecision.LOCAL;
            case AdminOpcode.SET_FEATURES -> setFeatures(cdw10);
            case AdminOpcode.GET_FEATURES -> getFeatures(cdw10);
            case AdminOpcode.IDENTIFY -> identify(cdw10 & 0xFF, csi);
            case AdminOpcode.GET_LOG_PAGE -> PassthruDecision.FORWARD;
            default -> optInAdmin[opcode] ? PassthruDecision.FORWARD : PassthruDecision.REJECT_OPCODE;
        };
    }

    private static PassthruDecision setFeatures(int cdw10) {
        return switch (cdw10) {
            case FeatureId.ASYNC_EVENT_CONFIGURATION, FeatureId.KEEP_ALIVE_TIMER, FeatureId.NUMBER_OF_QUEUES,
                    FeatureId.HOST_IDENTIFIER -> PassthruDecision.LOCAL;
            case FeatureId.HOST_BEHAVIOR_SUPPORT -> PassthruDecision.HOST_BEHAVIOR_CHECK;
            default -> forwardedFeature(cdw10);
        };
    }

    private static PassthruDecision getFeatures(int cdw10) {
        return switch (cdw10) {
            case FeatureId.ASYNC_EVENT_CONFIGURATION, FeatureId.KEEP_ALIVE_TIMER, FeatureId.NUMBER_OF_QUEUES,
                    FeatureId.HOST_IDENTIFIER -> PassthruDecision.LOCAL;
            case FEATURE_FDP -> PassthruDecision.FORWARD;
            default -> forwardedFeature(cdw10);
        };
    }

    /** nvmet_passthru_get_set_features: the features both directions forward. */
    private static PassthruDecision forwardedFeature(int cdw10) {
        return switch (cdw10) {
            case FeatureId.ARBITRATION, FeatureId.POWER_MANAGEMENT, FeatureId.LBA_RANGE_TYPE,
                    FeatureId.TEMPERATURE_THRESHOLD, FeatureId.ERROR_RECOVERY, FeatureId.VOLATILE_WRITE_CACHE,
                    FeatureId.WRITE_ATOMICITY_NORMAL, FeatureId.AUTONOMOUS_POWER_STATE_TRANSITION,
                    FeatureId.TIMESTAMP, FeatureId.HOST_CONTROLLED_THERMAL_MANAGEMENT,
                    FeatureId.NON_OPERATIONAL_POWER_STATE_CONFIG, FEATURE_READ_RECOVERY_LEVEL, FEATURE_PLM_CONFIG,
                    FEATURE_PLM_WINDOW, FeatureId.HOST_BEHAVIOR_SUPPORT, FEATURE_SANITIZE_CONFIG ->
                    PassthruDecision.FORWARD;
            default -> cdw10 >= FEATURE_VENDOR_START && cdw10 <= FEATURE_VENDOR_END ? PassthruDecision.FORWARD
                    : PassthruDecision.REJECT_UNSUPPORTED;
        };
    }

    private static PassthruDecision identify(int cns, int csi) {
        return switch (cns) {
            case IdentifyCns.CS_CONTROLLER, IdentifyCns.CS_NAMESPACE -> csi == NamespaceIdDescriptor.CSI_ZNS
                    ? PassthruDecision.FORWARD : PassthruDecision.REJECT_UNSUPPORTED;
            case IdentifyCns.CONTROLLER, IdentifyCns.NAMESPACE, IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST ->
                    PassthruDecision.FORWARD_IDENTIFY_FIXUP;
            default -> PassthruDecision.FORWARD;
        };
    }

    public PassthruDecision io(ByteBuf sqe) {
        return io(SubmissionQueueEntry.opcode(sqe), SubmissionQueueEntry.flags(sqe));
    }

    /**
     * I/O commands: everything is forwarded, vendor specific ones included, except reservations (the device cannot
     * tell fabrics hosts apart). The NSID is not remapped; the device answers for a namespace it lacks.
     */
    public PassthruDecision io(int opcode, int flags) {
        if (opcode == AdminOpcode.FABRICS) {
            return PassthruDecision.LOCAL;
        }
        if ((flags & ~FLAGS_ALLOWED) != 0) {
            return PassthruDecision.REJECT_FLAGS;
        }
        return NvmOpcode.isReservation(opcode) ? PassthruDecision.REJECT_UNSUPPORTED : PassthruDecision.FORWARD;
    }
}
