package org.jnvmet.itests.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jnvmet.host.Completion;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.DiscoveryLog;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.host.tcp.NvmeTcpHostOptions;
import org.jnvmet.host.tcp.NvmeTcpHostTransport;

/**
 * A Java NVMe/TCP host connected to one subsystem, as {@code nvme connect -t tcp} would be, doing verified I/O
 * on one I/O queue.
 */
public final class TcpHostSession implements AutoCloseable {
    private static final long IO_TIMEOUT_SECONDS = 30;

    private final NvmeHost host;
    private final NvmeTcpHostTransport transport;
    private final HostController controller;

    private TcpHostSession(NvmeHost host, NvmeTcpHostTransport transport, HostController controller) {
        this.host = host;
        this.transport = transport;
        this.controller = controller;
    }

    /**
     * Connects to {@code nqn} at {@code traddr:port}, retrying while the port is not listening yet (or refuses
     * the subsystem while it is being configured) until {@code patience} has passed.
     */
    public static TcpHostSession connect(String traddr, int port, String nqn, Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            NvmeHost host = NvmeHost.random();
            NvmeTcpHostTransport transport =
                    new NvmeTcpHostTransport(new InetSocketAddress(traddr, port), NvmeTcpHostOptions.defaults());
            try {
                HostController c = host.connect(transport,
                        ConnectOptions.of(nqn).withIoQueues(1, 32).withCommandTimeout(Duration.ofSeconds(10)));
                return new TcpHostSession(host, transport, c);
            } catch (IOException | RuntimeException e) {
                closeQuietly(transport, host);
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot connect to " + nqn + " at " + traddr + ":" + port + " within "
                            + patience + ": " + e, e);
                }
                sleep(200);
            }
        }
    }

    /** Reads the discovery log page at {@code traddr:port}, retrying until {@code patience} has passed. */
    public static DiscoveryLog discover(String traddr, int port, Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            NvmeHost host = NvmeHost.random();
            NvmeTcpHostTransport transport =
                    new NvmeTcpHostTransport(new InetSocketAddress(traddr, port), NvmeTcpHostOptions.defaults());
            try {
                return host.discover(transport);
            } catch (IOException | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no discovery log from " + traddr + ":" + port + " within " + patience
                            + ": " + e, e);
                }
                sleep(200);
            } finally {
                closeQuietly(transport, host);
            }
        }
    }

    public HostController controller() {
        return controller;
    }

    /**
     * Connects the same controller options again after the connection dropped. {@link HostController#reconnect}
     * recreates as many I/O queues as the controller had when it was called, which is none after an earlier
     * reconnect attempt failed half way; the one I/O queue this session uses is created again in that case.
     */
    public void reconnect() throws IOException {
        controller.reconnect();
        if (controller.ioQueues().isEmpty()) {
            controller.createIoQueues(1, 32);
        }
    }

    public HostNamespace namespace(int nsid) throws IOException {
        return controller.namespace(nsid);
    }

    /** Writes {@link BlockPattern} blocks {@code slba .. slba+blocks-1} and checks the completion. */
    public void write(int nsid, long slba, int blocks, long seed) throws IOException {
        write(namespace(nsid), slba, blocks, seed);
    }

    /** {@link #write(int, long, int, long)} on a namespace identified earlier (no Identify per I/O). */
    public void write(HostNamespace ns, long slba, int blocks, long seed) throws IOException {
        ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(blocks * ns.blockSize());
        try {
            BlockPattern.fill(data, seed, slba, blocks, ns.blockSize());
            check("write", await(queue().writeAsync(ns, slba, data, false)));
        } finally {
            data.release();
        }
    }

    /** Reads blocks back and checks they hold what {@link #write} wrote with the same seed. */
    public void verify(int nsid, long slba, int blocks, long seed) throws IOException {
        verify(namespace(nsid), slba, blocks, seed);
    }

    /** {@link #verify(int, long, int, long)} on a namespace identified earlier. */
    public void verify(HostNamespace ns, long slba, int blocks, long seed) throws IOException {
        ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(blocks * ns.blockSize());
        try {
            check("read", await(queue().readAsync(ns, slba, blocks, data)));
            BlockPattern.verify(data, seed, slba, blocks, ns.blockSize());
        } finally {
            data.release();
        }
    }

    /** Reads blocks {@code slba .. slba+blocks-1} into {@code dst} (at its writer index) and checks the completion. */
    public void read(HostNamespace ns, long slba, int blocks, ByteBuf dst) throws IOException {
        check("read", await(queue().readAsync(ns, slba, blocks, dst)));
    }

    private HostIoQueue queue() {
        return controller.ioQueue(0);
    }

    private static Completion await(java.util.concurrent.CompletableFuture<Completion> f) throws IOException {
        try {
            return f.get(IO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no completion within " + IO_TIMEOUT_SECONDS + " s", e);
        }
    }

    private static void check(String what, Completion c) throws IOException {
        if (!c.isSuccess()) {
            throw new IOException(what + " failed: " + c);
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void closeQuietly(NvmeTcpHostTransport transport, NvmeHost host) {
        try {
            transport.close();
        } catch (RuntimeException e) {
            // already broken
        }
        host.close();
    }

    @Override
    public void close() {
        try {
            controller.close();
        } finally {
            closeQuietly(transport, host);
        }
    }
}
