package org.jnvmet.core.it.passthru;

import java.util.Set;

/**
 * What the Linux target's passthru does with a command, restated from the reference (section 2, passthru.c)
 * independently of the core's policy class: the oracle the sweep tests compare the wire against.
 */
final class LinuxPassthruRules {
    /** How the command ends. */
    enum Outcome {
        /** Reaches the device; the host gets the device's status and DW0. */
        FORWARD,
        /** Handled by the target (fabrics, AER, Keep Alive, features 07h/0Bh/0Fh/81h). */
        LOCAL,
        /** Set Features Host Behavior Support: compared with the device's value, never set. */
        HOST_BEHAVIOR,
        /** Invalid Command Opcode with DNR from nvmet_report_invalid_opcode (error log entry, so More set). */
        REJECT_OPCODE,
        /** Invalid Command Opcode with DNR returned inline (features, CNS, reservations): no error log entry. */
        REJECT_UNSUPPORTED
    }

    static final Set<Integer> LOCAL_FEATURES = Set.of(0x07, 0x0B, 0x0F, 0x81);
    static final Set<Integer> RESERVATION_OPCODES = Set.of(0x0D, 0x0E, 0x11, 0x15);

    private LinuxPassthruRules() {
    }

    /** nvmet_passthru_get_set_features: forwarded in both directions. */
    static boolean forwardedFeature(int fid) {
        return (fid >= 0x01 && fid <= 0x06) || fid == 0x0A || fid == 0x0C || fid == 0x0E
                || (fid >= 0x10 && fid <= 0x14) || fid == 0x16 || fid == 0x17 || (fid >= 0xC0 && fid <= 0xFF);
    }

    /**
     * @param cdw10 whole CDW10 (features compare their FID against all of it)
     * @param csi   Identify CSI
     * @param optIn jnvmet's opt-in admin opcodes of the subsystem
     */
    static Outcome admin(int opcode, int cdw10, int csi, Set<Integer> optIn) {
        if (opcode == 0x7F) {
            return Outcome.LOCAL;
        }
        if (opcode >= 0xC0) {
            return Outcome.FORWARD;
        }
        switch (opcode) {
            case 0x0C, 0x18:
                return Outcome.LOCAL;
            case 0x02:
                return Outcome.FORWARD;
            case 0x06: {
                int cns = cdw10 & 0xFF;
                if (cns == 0x05 || cns == 0x06) {
                    return csi == 0x02 ? Outcome.FORWARD : Outcome.REJECT_UNSUPPORTED;
                }
                return Outcome.FORWARD;
            }
            case 0x09:
                if (LOCAL_FEATURES.contains(cdw10)) {
                    return Outcome.LOCAL;
                }
                if (cdw10 == 0x16) {
                    return Outcome.HOST_BEHAVIOR;
                }
                return forwardedFeature(cdw10) ? Outcome.FORWARD : Outcome.REJECT_UNSUPPORTED;
            case 0x0A:
                if (LOCAL_FEATURES.contains(cdw10)) {
                    return Outcome.LOCAL;
                }
                return forwardedFeature(cdw10) || cdw10 == 0x1D ? Outcome.FORWARD : Outcome.REJECT_UNSUPPORTED;
            default:
                return optIn.contains(opcode) ? Outcome.FORWARD : Outcome.REJECT_OPCODE;
        }
    }

    static Outcome io(int opcode) {
        if (opcode == 0x7F) {
            return Outcome.LOCAL;
        }
        return RESERVATION_OPCODES.contains(opcode) ? Outcome.REJECT_UNSUPPORTED : Outcome.FORWARD;
    }
}
