package org.jnvmet.protocol.nvme;

/** Error Information log entry, 64 bytes (NVMe Base 2.0, 5.16.1.2 "Error Information (Log Page Identifier 01h)", Figure 205). */
public final class ErrorInformationLogEntry {
    public static final int SIZE = 64;
    public static final int ERROR_COUNT = 0;
    public static final int SQID = 8;
    public static final int CID = 10;
    /** Status field as in the CQE: bits 15:1 status, bit 0 phase tag (0 here). */
    public static final int STATUS_FIELD = 12;
    /** Byte (bits 7:0) and bit (bits 10:8) of the command parameter in error; 0xFFFF if not applicable. */
    public static final int PARAMETER_ERROR_LOCATION = 14;
    public static final int LBA = 16;
    public static final int NAMESPACE = 24;
    public static final int VENDOR_SPECIFIC_INFO = 28;
    public static final int TRTYPE = 29;
    public static final int COMMAND_SPECIFIC_INFO = 32;
    public static final int TRANSPORT_TYPE_SPECIFIC_INFO = 40;

    private ErrorInformationLogEntry() {
    }
}
