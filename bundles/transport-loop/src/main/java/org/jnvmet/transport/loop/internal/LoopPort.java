package org.jnvmet.transport.loop.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jnvmet.spi.transport.TargetEndpoint;
import org.jnvmet.spi.transport.TransportListener;

/** One enabled loop port: the core's endpoint and the queues connected to it. */
public final class LoopPort implements TransportListener {
    private final TargetEndpoint endpoint;
    private final Consumer<LoopPort> onClose;
    private final Set<LoopQueue> queues = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public LoopPort(TargetEndpoint endpoint, Consumer<LoopPort> onClose) {
        this.endpoint = endpoint;
        this.onClose = onClose;
    }

    /** A new queue channel on this port; the core sees it as a newly accepted connection. */
    public LoopQueue openQueue(int qid, int queueSize, Consumer<LoopQueue> onQueueClose) throws IOException {
        if (closed) {
            throw new IOException("loop port " + endpoint.port().portId() + " is closed");
        }
        String peer = "loop:" + endpoint.port().portId() + "/q" + qid;
        LoopQueue queue = new LoopQueue(peer, queueSize, q -> {
            queues.remove(q);
            onQueueClose.accept(q);
        });
        queues.add(queue);
        try {
            queue.attach(endpoint.openQueue(queue));
        } catch (RuntimeException e) {
            queues.remove(queue);
            throw new IOException("loop port " + endpoint.port().portId() + " refused the queue", e);
        }
        if (closed) { // raced with close(): it may not have seen this queue
            queue.close();
            throw new IOException("loop port " + endpoint.port().portId() + " is closed");
        }
        return queue;
    }

    @Override
    public String boundTraddr() {
        return endpoint.port().traddr();
    }

    @Override
    public String boundTrsvcid() {
        return endpoint.port().trsvcid();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.accept(this);
        for (LoopQueue queue : queues) {
            queue.close();
        }
    }
}
