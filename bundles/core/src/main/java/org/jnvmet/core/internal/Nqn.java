package org.jnvmet.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jnvmet.api.NvmeTarget;

/** NVMe Qualified Name checks (NVMe Base 2.0, 4.5 "NVMe Qualified Names"). */
public final class Nqn {
    /** NVMF_NQN_SIZE: longest NQN in bytes. */
    public static final int MAX_LENGTH = 223;

    private static final Pattern DOMAIN_FORM =
            Pattern.compile("nqn\\.[0-9]{4}-(0[1-9]|1[0-2])\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
                    + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*:.+");
    private static final Pattern UUID_FORM = Pattern.compile(
            "nqn\\.2014-08\\.org\\.nvmexpress:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                    + "[0-9a-fA-F]{12}");

    private Nqn() {
    }

    /** Null when {@code nqn} is a valid subsystem NQN, else the reason. */
    public static String checkSubsystem(String nqn) {
        String basic = checkBasic(nqn);
        if (basic != null) {
            return basic;
        }
        if (nqn.equals(NvmeTarget.DEFAULT_DISCOVERY_NQN)) {
            return "the discovery NQN cannot name a subsystem";
        }
        if (!UUID_FORM.matcher(nqn).matches() && !DOMAIN_FORM.matcher(nqn).matches()) {
            return "not of the form nqn.yyyy-mm.reverse-domain:name or nqn.2014-08.org.nvmexpress:uuid:<uuid>";
        }
        return null;
    }

    /** Null when {@code nqn} may be used as a discovery NQN (the well-known one or a domain/uuid form). */
    public static String checkDiscovery(String nqn) {
        String basic = checkBasic(nqn);
        if (basic != null) {
            return basic;
        }
        if (nqn.equals(NvmeTarget.DEFAULT_DISCOVERY_NQN) || UUID_FORM.matcher(nqn).matches()
                || DOMAIN_FORM.matcher(nqn).matches()) {
            return null;
        }
        return "not a valid NQN";
    }

    /** Null when {@code nqn} is acceptable as a host NQN in allowed_hosts. */
    public static String checkHost(String nqn) {
        return checkBasic(nqn);
    }

    private static String checkBasic(String nqn) {
        if (nqn == null || nqn.isEmpty()) {
            return "empty";
        }
        if (nqn.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " bytes";
        }
        for (int i = 0; i < nqn.length(); i++) {
            char c = nqn.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return "contains a character that is not printable ASCII";
            }
        }
        if (!nqn.startsWith("nqn.")) {
            return "does not start with \"nqn.\"";
        }
        return null;
    }
}
