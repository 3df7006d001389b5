package org.jnvmet.core.internal.passthru;

import org.jnvmet.protocol.nvme.Status;

/**
 * What a passthru subsystem does with one command. Instances are shared constants, so deciding allocates nothing.
 *
 * @param disposition   what to do
 * @param status        for {@link Disposition#REJECT}: the status to complete with; otherwise 0
 * @param errorLocation for {@link Disposition#REJECT}: the SQE byte offset Linux records in the Error Information
 *                      log (and sets More for), or {@link #NO_ERROR_LOCATION}
 */
public record PassthruDecision(Disposition disposition, int status, int errorLocation) {
    /** Linux's NVMET_NO_ERROR_LOC: no Error Information log entry. */
    public static final int NO_ERROR_LOCATION = 0xFFFF;
    private static final int OPCODE_LOCATION = 0;

    public enum Disposition {
        /** Send to the device unchanged; the host gets the device's status and DW0. */
        FORWARD,
        /** Forward, then patch the returned data with {@link IdentifyFixups} (Identify CNS 00h, 01h, 03h). */
        FORWARD_IDENTIFY_FIXUP,
        /** Set Features Host Behavior Support: succeed only if it equals the device's current value. */
        HOST_BEHAVIOR_CHECK,
        /**
         * Not for the device: the target handles it as for any controller (fabrics commands, Asynchronous Event
         * Request, Keep Alive, features 07h/0Bh/0Fh/81h).
         */
        LOCAL,
        /** Complete with {@link PassthruDecision#status()} without involving the device. */
        REJECT
    }

    public static final PassthruDecision FORWARD = new PassthruDecision(Disposition.FORWARD, 0, NO_ERROR_LOCATION);
    public static final PassthruDecision FORWARD_IDENTIFY_FIXUP =
            new PassthruDecision(Disposition.FORWARD_IDENTIFY_FIXUP, 0, NO_ERROR_LOCATION);
    public static final PassthruDecision HOST_BEHAVIOR_CHECK =
            new PassthruDecision(Disposition.HOST_BEHAVIOR_CHECK, 0, NO_ERROR_LOCATION);
    public static final PassthruDecision LOCAL = new PassthruDecision(Disposition.LOCAL, 0, NO_ERROR_LOCATION);
    /** Flags other than PSDT (fused commands): Invalid Field, without DNR, as Linux returns it. */
    public static final PassthruDecision REJECT_FLAGS =
            new PassthruDecision(Disposition.REJECT, Status.INVALID_FIELD, NO_ERROR_LOCATION);
    /** An opcode outside the allowlist ({@code nvmet_report_invalid_opcode}: error location = opcode). */
    public static final PassthruDecision REJECT_OPCODE =
            new PassthruDecision(Disposition.REJECT, Status.INVALID_OPCODE | Status.DNR, OPCODE_LOCATION);
    /** A feature, CNS/CSI or reservation command Linux refuses inline, without an error location. */
    public static final PassthruDecision REJECT_UNSUPPORTED =
            new PassthruDecision(Disposition.REJECT, Status.INVALID_OPCODE | Status.DNR, NO_ERROR_LOCATION);

    public boolean forwards() {
        return disposition == Disposition.FORWARD || disposition == Disposition.FORWARD_IDENTIFY_FIXUP;
    }
}
