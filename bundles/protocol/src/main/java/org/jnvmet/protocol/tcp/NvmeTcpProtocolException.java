package org.jnvmet.protocol.tcp;

/**
 * A fatal NVMe/TCP transport error (NVMe/TCP Transport 1.0, 3.5.2 "Fatal Error Handling"): the side that detects
 * it sends a terminate request with {@link #fes()} and {@link #fei()} and closes the connection.
 */
public final class NvmeTcpProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int fes;
    private final long fei;

    public NvmeTcpProtocolException(int fes, long fei, String message) {
        super(message, null, false, false);
        this.fes = fes;
        this.fei = fei;
    }

    /** {@link FatalErrorStatus} value. */
    public int fes() {
        return fes;
    }

    /** Fatal error information: byte offset of the offending header field for FES 1 and 6. */
    public long fei() {
        return fei;
    }

    /** An invalid header field at {@code offset}. */
    public static NvmeTcpProtocolException badField(int offset, String message) {
        return new NvmeTcpProtocolException(FatalErrorStatus.INVALID_PDU_HEADER_FIELD, offset, message);
    }

    @Override
    public String getMessage() {
        return FatalErrorStatus.name(fes) + " (fei " + fei + "): " + super.getMessage();
    }
}
