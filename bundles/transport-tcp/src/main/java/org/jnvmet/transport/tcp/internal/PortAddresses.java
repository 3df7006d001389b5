package org.jnvmet.transport.tcp.internal;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.jnvmet.spi.transport.PortAddress;

/**
 * Turns a port's {@code addr_traddr}/{@code addr_trsvcid}/{@code addr_adrfam} into a socket address. Like the Linux
 * target (inet_pton) only address literals are accepted, so listening never waits on name resolution.
 */
public final class PortAddresses {
    private PortAddresses() {
    }

    public static InetSocketAddress parse(PortAddress port) throws IOException {
        String traddr = port.traddr() == null ? "" : port.traddr().trim();
        if (traddr.startsWith("[") && traddr.endsWith("]")) {
            traddr = traddr.substring(1, traddr.length() - 1);
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(traddr);
        if (ip == null) {
            throw new IOException("addr_traddr is not an IP address: '" + port.traddr() + "'");
        }
        String adrfam = port.adrfam() == null ? "" : port.adrfam();
        if ("ipv4".equals(adrfam) && ip.length != 4 || "ipv6".equals(adrfam) && ip.length != 16) {
            throw new IOException("addr_traddr '" + port.traddr() + "' does not match addr_adrfam " + adrfam);
        }
        int tcpPort;
        try {
            tcpPort = Integer.parseInt(port.trsvcid() == null ? "" : port.trsvcid().trim());
        } catch (NumberFormatException e) {
            throw new IOException("addr_trsvcid is not a TCP port: '" + port.trsvcid() + "'");
        }
        if (tcpPort < 0 || tcpPort > 65535) {
            throw new IOException("addr_trsvcid out of range: " + tcpPort);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), tcpPort);
        } catch (UnknownHostException e) {
            throw new IOException(e);
        }
    }

    /** Textual address without brackets or host name, as the discovery log's TRADDR shows it. */
    public static String toTraddr(InetSocketAddress address) {
        return NetUtil.toAddressString(address.getAddress());
    }
}
