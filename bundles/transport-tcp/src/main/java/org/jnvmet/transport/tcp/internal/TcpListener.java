package org.jnvmet.transport.tcp.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jnvmet.spi.transport.TargetEndpoint;
import org.jnvmet.spi.transport.TransportListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One enabled port: a bound server socket whose accepted connections each become a {@link TcpQueue}. */
public final class TcpListener implements TransportListener {
    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);
    /** Pending connections, as Linux's nvmet-tcp listen backlog. */
    private static final int BACKLOG = 128;

    private final Channel serverChannel;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final InetSocketAddress bound;
    private final Runnable onClose;

    private TcpListener(Channel serverChannel, Runnable onClose) {
        this.serverChannel = serverChannel;
        this.bound = (InetSocketAddress) serverChannel.localAddress();
        this.onClose = onClose;
    }

    /** Binds the port's address; blocks until bound, so call it off the event loop. */
    public static TcpListener bind(NettyTransportSupport netty, ByteBufAllocator alloc, TargetEndpoint endpoint,
            long setupTimeoutMillis, Runnable onClose) throws IOException {
        InetSocketAddress address = PortAddresses.parse(endpoint.port());
        TcpListener[] self = new TcpListener[1];
        ServerBootstrap b = new ServerBootstrap()
                .group(netty.group())
                .channel(netty.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, alloc)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16384, 65536))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        TcpListener l = self[0];
                        if (l == null || !l.serverChannel.isOpen()) {
                            ch.close();
                            return;
                        }
                        l.connections.add(ch);
                        ch.closeFuture().addListener(f -> l.connections.remove(ch));
                        ch.pipeline().addLast("nvme-tcp", new TcpQueue(endpoint, alloc, setupTimeoutMillis));
                    }
                });
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot listen on " + address + ": " + f.cause().getMessage(), f.cause());
        }
        self[0] = new TcpListener(f.channel(), onClose);
        LOG.info("NVMe/TCP port {} listening on {}", endpoint.port().portId(), self[0].bound);
        return self[0];
    }

    @Override
    public String boundTraddr() {
        return PortAddresses.toTraddr(bound);
    }

    @Override
    public String boundTrsvcid() {
        return Integer.toString(bound.getPort());
    }

    /** Live connections of this port. */
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        if (!serverChannel.isOpen()) {
            return;
        }
        ChannelFuture f = serverChannel.close();
        for (Channel ch : connections) {
            ch.close();
        }
        if (!serverChannel.eventLoop().inEventLoop()) {
            f.awaitUninterruptibly(5_000);
        }
        LOG.info("NVMe/TCP listener on {} closed", bound);
        onClose.run();
    }
}
