package org.jnvmet.host.spi;

import java.io.IOException;

/**
 * How the Java host reaches a target: the loopback transport (in process) or NVMe/TCP. One instance stands for one
 * target address; each queue is a separate channel (a TCP connection per queue, as Linux's nvme-tcp does).
 */
public interface HostTransport extends AutoCloseable {
    /**
     * Opens the channel for one queue (TCP: connect and exchange ICReq/ICResp). The queue is not yet connected at
     * the NVMe level: the host sends the Fabrics Connect command through it.
     *
     * @param qid        0 for the admin queue
     * @param queueSize  submission queue entries the host will use (at most this many commands in flight)
     */
    HostQueue openQueue(int qid, int queueSize) throws IOException;

    @Override
    void close();
}
