package org.jnvmet.transport.tcp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the NVMe/TCP transport (PID {@value NvmeTcpTransport#PID}). */
@ObjectClassDefinition(name = "jnvmet NVMe/TCP transport", description = "Network I/O settings shared by all TCP ports")
public @interface NvmeTcpTransportConfig {
    @AttributeDefinition(name = "I/O threads", description = "Event loop threads serving all connections; 0 = one per CPU")
    int ioThreads() default 0;

    @AttributeDefinition(name = "Native epoll", description = "Use Linux epoll when its native library loads, else Java NIO")
    boolean nativeTransport() default true;

    @AttributeDefinition(name = "Connection setup timeout (ms)", description = "Close a new connection whose ICReq and first command capsule have not arrived in this time")
    long setupTimeoutMillis() default TcpTransportOptions.DEFAULT_SETUP_TIMEOUT_MILLIS;
}
