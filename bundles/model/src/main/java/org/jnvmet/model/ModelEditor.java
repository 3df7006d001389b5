package org.jnvmet.model;

import java.util.List;
import java.util.Map;

/**
 * Changes inside one {@link ModelStore#edit} transaction. Each call is checked the way configfs checks a write
 * (e.g. a port's {@code addr_*} are frozen while subsystems are linked to it) and throws at once when refused; the
 * whole tree is validated again when the transaction ends.
 */
public interface ModelEditor {
    List<String> list(String path);

    String get(String path);

    Map<String, String> attributes(String path);

    boolean exists(String path);

    void set(String path, String value);

    void create(String path);

    void delete(String path);

    void link(String path);

    void unlink(String path);
}
