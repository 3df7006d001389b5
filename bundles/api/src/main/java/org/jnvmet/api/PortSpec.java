package org.jnvmet.api;

import java.util.List;
import org.jnvmet.spi.transport.PortAddress;

/**
 * A port ({@code ports/<portid>/}): its transport address and parameters, the subsystems linked under
 * {@code subsystems/}, and its {@code referrals/}.
 */
public record PortSpec(PortAddress address, List<String> subsystems, List<ReferralSpec> referrals) {
    public PortSpec {
        subsystems = subsystems == null ? List.of() : List.copyOf(subsystems);
        referrals = referrals == null ? List.of() : List.copyOf(referrals);
    }

    public int portId() {
        return address.portId();
    }

    /** A TCP port on {@code traddr:trsvcid} with the kernel's defaults. */
    public static PortSpec tcp(int portId, String traddr, int trsvcid, List<String> subsystems) {
        String adrfam = traddr.contains(":") ? "ipv6" : "ipv4";
        return new PortSpec(new PortAddress(portId, "tcp", adrfam, traddr, Integer.toString(trsvcid), 0x04, -1, 128),
                subsystems, List.of());
    }

    /** A loopback (in-process) port. */
    public static PortSpec loop(int portId, List<String> subsystems) {
        return new PortSpec(new PortAddress(portId, "loop", "loop", "", "", 0x04, 0, 1024), subsystems, List.of());
    }
}
