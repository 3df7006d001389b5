package org.jnvmet.spi.transport;

import io.netty.buffer.ByteBufAllocator;

/** The transport side of one queue (one NVMe/TCP connection, one loopback queue): what the core calls. */
public interface TransportQueue {
    /**
     * Sends the response for a finished command: for controller-to-host transfers the data first, then the CQE
     * (which the transport may omit when SQ flow control is disabled and it can signal success with the data).
     * Releases {@link NvmeRequest#data()} and returns the request to the pool afterwards. May be called from any
     * thread; the transport hands it to its own I/O thread.
     */
    void sendResponse(NvmeRequest request);

    /** Closes the connection, e.g. when its controller is deleted or its keep-alive expired. Idempotent. */
    void close();

    /** Allocator for buffers the core needs on this queue (Identify data, log pages). */
    ByteBufAllocator allocator();

    /** Largest in-capsule data this queue accepts for I/O commands, in bytes (0: none). */
    int inlineDataSize();

    /** Maximum SGL data block descriptors per command (Identify Controller MSDBD). */
    int maxSglDescriptors();

    /** Transport address of the peer, for logs and the connections listing. */
    String peerAddress();

    /**
     * The local address this connection was accepted on, without port; the discovery log reports it as TRADDR for
     * ports listening on a wildcard address. Null when the transport has no such notion.
     */
    default String localAddress() {
        return null;
    }
}
