package org.jnvmet.transport.tcp.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks epoll or NIO once per transport instance and owns the event loop group that serves every port. */
public final class NettyTransportSupport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NettyTransportSupport.class);

    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannelClass;
    private final boolean epoll;

    public NettyTransportSupport(boolean preferNative, int threads) {
        this.epoll = preferNative && epollAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.group = new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("nvmet-tcp", true), factory);
        this.serverChannelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        LOG.info("NVMe/TCP transport using {} with {} I/O threads", epoll ? "epoll" : "NIO", n);
    }

    private static boolean epollAvailable() {
        try {
            if (Epoll.isAvailable()) {
                return true;
            }
            LOG.debug("epoll unavailable", Epoll.unavailabilityCause());
        } catch (LinkageError e) {
            LOG.debug("epoll classes unavailable", e);
        }
        return false;
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return serverChannelClass;
    }

    public boolean epoll() {
        return epoll;
    }

    /** Stops the event loops; waits briefly unless called from one of them. */
    @Override
    public void close() {
        var f = group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        if (!group.next().inEventLoop()) {
            f.awaitUninterruptibly(5_000);
        }
    }
}
