package org.jnvmet.transport.tcp;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jnvmet.spi.transport.FabricsTransport;
import org.jnvmet.spi.transport.TargetEndpoint;
import org.jnvmet.spi.transport.TransportListener;
import org.jnvmet.transport.tcp.internal.NettyTransportSupport;
import org.jnvmet.transport.tcp.internal.TcpListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The NVMe/TCP fabrics transport ({@code addr_trtype} "tcp", discovery TRTYPE 3). One event loop group serves
 * every port and connection; each accepted connection is one NVMe queue. Constructible without OSGi:
 * {@code new NvmeTcpTransport(TcpTransportOptions.defaults(), PooledByteBufAllocator.DEFAULT)}.
 */
@Component(service = FabricsTransport.class, configurationPid = NvmeTcpTransport.PID,
        property = FabricsTransport.TRTYPE_PROPERTY + "=" + NvmeTcpTransport.TYPE)
@Designate(ocd = NvmeTcpTransportConfig.class)
public final class NvmeTcpTransport implements FabricsTransport, AutoCloseable {
    public static final String PID = "org.jnvmet.transport.tcp";
    public static final String TYPE = "tcp";
    /** Discovery Log Page TRTYPE for TCP (NVMe over Fabrics 1.1, Figure 38). */
    public static final int DISCOVERY_TRTYPE_TCP = 3;

    private final TcpTransportOptions options;
    private final ByteBufAllocator allocator;
    private final NettyTransportSupport netty;
    private final Set<TcpListener> listeners = ConcurrentHashMap.newKeySet();

    @Activate
    public NvmeTcpTransport(NvmeTcpTransportConfig config) {
        this(TcpTransportOptions.of(config), PooledByteBufAllocator.DEFAULT);
    }

    public NvmeTcpTransport(TcpTransportOptions options, ByteBufAllocator allocator) {
        this.options = options;
        this.allocator = allocator;
        this.netty = new NettyTransportSupport(options.nativeTransport(), options.ioThreads());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int discoveryTrtype() {
        return DISCOVERY_TRTYPE_TCP;
    }

    @Override
    public TransportListener listen(TargetEndpoint endpoint) throws IOException {
        TcpListener[] holder = new TcpListener[1];
        TcpListener l = TcpListener.bind(netty, allocator, endpoint, options.setupTimeoutMillis(),
                () -> listeners.remove(holder[0]));
        holder[0] = l;
        listeners.add(l);
        return l;
    }

    /** True when connections use native epoll rather than NIO. */
    public boolean nativeTransport() {
        return netty.epoll();
    }

    /** Closes every listener and connection and stops the event loops. */
    @Deactivate
    @Override
    public void close() {
        for (TcpListener l : listeners) {
            l.close();
        }
        netty.close();
    }
}
