package org.jnvmet.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jnvmet.api.TargetConfigException;

/**
 * The configuration tree of the target, one API for the shell and JMX. Paths name objects and attributes the way the
 * Linux target's configfs does, relative to {@code /sys/kernel/config/nvmet}: {@code hosts/<nqn>},
 * {@code subsystems/<nqn>/attr_serial}, {@code subsystems/<nqn>/namespaces/<nsid>/device_path},
 * {@code subsystems/<nqn>/allowed_hosts/<hostnqn>}, {@code subsystems/<nqn>/passthru/enable},
 * {@code ports/<portid>/addr_traddr}, {@code ports/<portid>/subsystems/<nqn>},
 * {@code ports/<portid>/referrals/<name>/addr_traddr}, {@code ports/<portid>/ana_groups/<grpid>/ana_state}.
 *
 * <p>Every mutating call is one transaction: the whole new tree is validated, the difference is applied to the
 * running target, the file is written, and only then the new tree is in force. A refused change throws a
 * {@link TargetConfigException} whose message names the object path and field, e.g.
 * {@code subsystems/nqn.2014-08.org.example:s1/attr_serial: longer than 20 characters}; the previous tree stays.
 */
public interface ModelStore {

    /** Names under {@code path}: child objects of a group, linked names of a link group, or an object's entries. */
    List<String> list(String path);

    /** The effective value of an attribute (its default when never set). */
    String get(String path);

    /** The effective attributes of the object at {@code path}. */
    Map<String, String> attributes(String path);

    void set(String path, String value);

    /** Creates an object: a host, subsystem, namespace, port, referral or ANA group. */
    void create(String path);

    /** Deletes an object with what it owns; refused while other objects link to it. */
    void delete(String path);

    /** Links {@code subsystems/<nqn>/allowed_hosts/<hostnqn>} or {@code ports/<portid>/subsystems/<nqn>}. */
    void link(String path);

    void unlink(String path);

    /** Several changes as one transaction: all are applied, or none. */
    void edit(Consumer<ModelEditor> changes);

    /** The configuration in the JSON format {@code nvmetcli save} writes. */
    String exportJson();

    /** Replaces the whole configuration with one in nvmetcli's JSON format (like {@code nvmetcli restore}). */
    void importJson(String json);

    /** An immutable view of the tree in force. */
    ModelSnapshot snapshot();

    /** Why the configuration file on disk is not the one in force (it was refused), or empty. */
    Optional<String> fileError();

    void addListener(ModelListener listener);

    void removeListener(ModelListener listener);
}
