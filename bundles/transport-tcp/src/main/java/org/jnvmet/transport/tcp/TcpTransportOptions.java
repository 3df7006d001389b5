package org.jnvmet.transport.tcp;

/**
 * Plain-Java form of {@link NvmeTcpTransportConfig}, for tests and launchers that wire components without OSGi.
 *
 * @param ioThreads          event loop threads, 0 for one per CPU
 * @param nativeTransport    prefer epoll when available
 * @param setupTimeoutMillis how long a new connection may take to deliver its ICReq and first capsule (Connect)
 */
public record TcpTransportOptions(int ioThreads, boolean nativeTransport, long setupTimeoutMillis) {
    public static final long DEFAULT_SETUP_TIMEOUT_MILLIS = 10_000;

    public TcpTransportOptions {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0: " + ioThreads);
        }
        if (setupTimeoutMillis <= 0) {
            throw new IllegalArgumentException("setupTimeoutMillis must be > 0: " + setupTimeoutMillis);
        }
    }

    public static TcpTransportOptions defaults() {
        return new TcpTransportOptions(0, true, DEFAULT_SETUP_TIMEOUT_MILLIS);
    }

    static TcpTransportOptions of(NvmeTcpTransportConfig c) {
        return new TcpTransportOptions(c.ioThreads(), c.nativeTransport(), c.setupTimeoutMillis());
    }
}
