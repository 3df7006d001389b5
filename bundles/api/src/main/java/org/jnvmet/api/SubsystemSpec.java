package org.jnvmet.api;

import java.util.List;

/**
 * A subsystem's configfs attributes ({@code subsystems/<nqn>/attr_*}) and its {@code allowed_hosts} links.
 *
 * @param nqn           subsystem NQN (at most 223 bytes)
 * @param allowAnyHost  attr_allow_any_host
 * @param version       attr_version as "major.minor[.tertiary]", e.g. "1.3"; null for the default
 * @param serial        attr_serial (at most 20 ASCII characters); null to derive one
 * @param model         attr_model (at most 40); null for "Linux"-like default
 * @param firmware      attr_firmware (at most 8); null for the default
 * @param ieeeOui       attr_ieee_oui (24 bits)
 * @param cntlidMin     attr_cntlid_min (1..0xFFEF)
 * @param cntlidMax     attr_cntlid_max (cntlidMin..0xFFEF)
 * @param qidMax        attr_qid_max (1..128): largest I/O queue id a host may create
 * @param allowedHosts  host NQNs linked under allowed_hosts
 */
public record SubsystemSpec(String nqn, boolean allowAnyHost, String version, String serial, String model,
        String firmware, int ieeeOui, int cntlidMin, int cntlidMax, int qidMax, List<String> allowedHosts) {

    public static final int DEFAULT_CNTLID_MIN = 1;
    public static final int DEFAULT_CNTLID_MAX = 0xFFEF;
    public static final int DEFAULT_QID_MAX = 128;

    public SubsystemSpec {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }

    /** A subsystem with the Linux target's defaults that any host may connect to. */
    public static SubsystemSpec of(String nqn) {
        return new SubsystemSpec(nqn, true, null, null, null, null, 0, DEFAULT_CNTLID_MIN, DEFAULT_CNTLID_MAX,
                DEFAULT_QID_MAX, List.of());
    }

    public SubsystemSpec withAllowedHosts(boolean allowAny, List<String> hosts) {
        return new SubsystemSpec(nqn, allowAny, version, serial, model, firmware, ieeeOui, cntlidMin, cntlidMax,
                qidMax, hosts);
    }

    public SubsystemSpec withIdentity(String serial, String model, String firmware) {
        return new SubsystemSpec(nqn, allowAnyHost, version, serial, model, firmware, ieeeOui, cntlidMin, cntlidMax,
                qidMax, allowedHosts);
    }

    public SubsystemSpec withCntlidRange(int min, int max) {
        return new SubsystemSpec(nqn, allowAnyHost, version, serial, model, firmware, ieeeOui, min, max, qidMax,
                allowedHosts);
    }
}
