package org.jnvmet.itests.appliance;

/** nvmetcli-format (nvmetcli save) configurations for the appliance tests. */
final class TargetConfig {
    private TargetConfig() {
    }

    /** One TCP port on 127.0.0.1 exporting {@code nqn} with RAM namespaces of the given sizes (nsid 1, 2, ...). */
    static String tcpRam(int port, String nqn, String... ramSizes) {
        StringBuilder ns = new StringBuilder();
        for (int i = 0; i < ramSizes.length; i++) {
            ns.append(i == 0 ? "" : ",\n").append("""
                        {"device": {"path": "ram:%s"}, "enable": 1, "nsid": %d}""".formatted(ramSizes[i], i + 1));
        }
        return """
                {
                  "hosts": [],
                  "ports": [
                    {
                      "addr": {"adrfam": "ipv4", "traddr": "127.0.0.1", "treq": "not specified",
                               "trsvcid": "%d", "trtype": "tcp"},
                      "portid": 1,
                      "referrals": [],
                      "subsystems": ["%s"]
                    }
                  ],
                  "subsystems": [
                    {
                      "allowed_hosts": [],
                      "attr": {"allow_any_host": "1"},
                      "namespaces": [
                %s
                      ],
                      "nqn": "%s"
                    }
                  ]
                }
                """.formatted(port, nqn, ns, nqn);
    }
}
