package org.jnvmet.host.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jnvmet.host.spi.HostQueue;
import org.jnvmet.host.spi.HostTransport;

/**
 * NVMe/TCP to one target address ({@code traddr:trsvcid}). Each {@link #openQueue} is a new TCP connection that
 * has exchanged ICReq/ICResp; the host library then sends Fabrics Connect through it. Thread-safe.
 */
public final class NvmeTcpHostTransport implements HostTransport {
    private final InetSocketAddress target;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final ByteBufAllocator alloc;
    private volatile NvmeTcpHostOptions options;

    /** A transport with its own I/O threads (one per CPU, at most 4). */
    public NvmeTcpHostTransport(InetSocketAddress target, NvmeTcpHostOptions options) {
        this(target, options, new MultiThreadIoEventLoopGroup(
                Math.min(4, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("nvme-tcp-host", true), NioIoHandler.newFactory()), true);
    }

    /** A transport on the caller's NIO event loop group, which {@link #close} leaves running. */
    public NvmeTcpHostTransport(InetSocketAddress target, NvmeTcpHostOptions options, EventLoopGroup group) {
        this(target, options, group, false);
    }

    private NvmeTcpHostTransport(InetSocketAddress target, NvmeTcpHostOptions options, EventLoopGroup group,
            boolean ownGroup) {
        this.target = target;
        this.options = options;
        this.group = group;
        this.ownGroup = ownGroup;
        this.alloc = PooledByteBufAllocator.DEFAULT;
    }

    public InetSocketAddress target() {
        return target;
    }

    public NvmeTcpHostOptions options() {
        return options;
    }

    /**
     * Sets the in-capsule data size for I/O queues opened from now on, e.g. from Identify Controller IOCCSZ
     * ({@link NvmeTcpHostOptions#inlineDataSizeFromIoccsz}).
     */
    public void setIoInlineDataSize(int bytes) {
        options = options.withIoInlineDataSize(bytes);
    }

    @Override
    public HostQueue openQueue(int qid, int queueSize) throws IOException {
        NvmeTcpHostOptions o = options;
        TcpHostQueue queue = new TcpHostQueue(qid, o);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, alloc)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        o.connectTimeoutMillis()))
                .handler(queue);
        ChannelFuture f = b.connect(target);
        if (!f.awaitUninterruptibly(o.connectTimeoutMillis() + 1000) || !f.isSuccess()) {
            f.channel().close();
            Throwable cause = f.cause();
            throw new IOException("cannot connect to " + target + (cause == null ? ": timeout" : ": " + cause),
                    cause);
        }
        Channel ch = f.channel();
        try {
            queue.handshake().get(o.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ch.close();
            throw new IOException("no ICResp from " + target + " within " + o.connectTimeoutMillis() + " ms");
        } catch (ExecutionException e) {
            ch.close();
            throw new IOException("NVMe/TCP connection setup with " + target + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return queue;
    }

    @Override
    public void close() {
        if (ownGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }
}
