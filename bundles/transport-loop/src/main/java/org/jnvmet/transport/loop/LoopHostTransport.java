package org.jnvmet.transport.loop;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.host.spi.HostTransport;
import org.jnvmet.transport.loop.internal.LoopPort;
import org.jnvmet.transport.loop.internal.LoopQueue;

/**
 * Host side of the loopback transport: one target port in this JVM. Every {@link #openQueue} is a new queue
 * channel on that port, handed to the target's core as a fresh connection.
 */
public final class LoopHostTransport implements HostTransport {
    /** Largest queue a loop channel accepts; bounds the per-queue request pool. */
    public static final int MAX_QUEUE_SIZE = 65536;

    private final LoopbackTransport transport;
    private final int portId;
    private final Set<LoopQueue> queues = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private LoopHostTransport(LoopbackTransport transport, int portId) {
        this.transport = transport;
        this.portId = portId;
    }

    /** Addresses the loop port {@code portId}; fails if that port is not listening now. */
    public static LoopHostTransport connect(LoopbackTransport transport, int portId) throws IOException {
        if (transport.port(portId) == null) {
            throw new IOException("no loop port " + portId + " is listening");
        }
        return new LoopHostTransport(transport, portId);
    }

    @Override
    public HostQueue openQueue(int qid, int queueSize) throws IOException {
        if (closed) {
            throw new IOException("loop host transport to port " + portId + " is closed");
        }
        if (qid < 0 || qid > 0xFFFF) {
            throw new IllegalArgumentException("qid " + qid);
        }
        if (queueSize < 1 || queueSize > MAX_QUEUE_SIZE) {
            throw new IllegalArgumentException("queue size " + queueSize + " not in 1.." + MAX_QUEUE_SIZE);
        }
        // Looked up on every open: after a port is disabled and enabled again, new queues reach the new one.
        LoopPort port = transport.port(portId);
        if (port == null) {
            throw new IOException("no loop port " + portId + " is listening");
        }
        LoopQueue queue = port.openQueue(qid, queueSize, queues::remove);
        queues.add(queue);
        if (!queue.isOpen()) {
            queues.remove(queue);
        }
        return queue;
    }

    public int portId() {
        return portId;
    }

    @Override
    public void close() {
        closed = true;
        for (LoopQueue queue : queues) {
            queue.close();
        }
    }

    @Override
    public String toString() {
        return "loop:" + portId;
    }
}
