package org.jnvmet.core.internal;

/**
 * Parameter Error Location values: the SQE byte offset of the field a command failed on, as the Linux target
 * records in {@code req->error_loc}. A failed command with a location gets an Error Information log entry and the
 * More bit in its status; {@link #NONE} means neither.
 */
final class ErrorLocation {
    static final int NONE = 0xFFFF;
    static final int OPCODE = 0;
    static final int FLAGS = 1;
    /** Fabrics FCTYPE and the common NSID share byte 4: offsetof(nvmf_common_command, fctype) is 4. */
    static final int FCTYPE = 4;
    static final int NSID = 4;
    static final int DPTR = 24;
    static final int CDW10 = 40;
    static final int CDW11 = 44;
    /** Identify CNS, Get Log Page LID, Connect RECFMT, Property attributes: all at byte 40. */
    static final int CNS = 40;
    static final int LID = 40;
    static final int RECFMT = 40;
    static final int PROPERTY_ATTRIB = 40;
    static final int PROPERTY_OFFSET = 44;
    static final int CONNECT_QID = 42;
    static final int CONNECT_SQSIZE = 44;
    /** Read/Write SLBA (CDW10) and NLB (CDW12). */
    static final int SLBA = 40;
    static final int LENGTH = 48;
    /** Get Log Page LPO (CDW12). */
    static final int LPO = 48;

    private ErrorLocation() {
    }
}
