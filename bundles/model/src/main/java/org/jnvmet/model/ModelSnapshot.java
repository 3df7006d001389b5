package org.jnvmet.model;

import java.util.List;
import java.util.Map;

/** An immutable view of one version of the configuration tree. */
public interface ModelSnapshot {
    /** Increases with every committed transaction. */
    long generation();

    boolean exists(String path);

    List<String> list(String path);

    String get(String path);

    Map<String, String> attributes(String path);

    /** Passthru settings of every subsystem whose {@code passthru/device_path} is set, keyed by subsystem NQN. */
    Map<String, PassthruConfig> passthru();

    /** Hosts keyed by NQN, with their DH-HMAC-CHAP settings. */
    Map<String, HostConfig> hosts();

    /** ANA group states per port: port id to (group id to {@code ana_state}). */
    Map<Integer, Map<Integer, String>> anaStates();

    /** This version in nvmetcli's JSON format. */
    String toJson();
}
