package org.jnvmet.model.internal;

/**
 * One configfs attribute of an object kind.
 *
 * @param name          the configfs file name, e.g. {@code attr_serial}, {@code device_path}
 * @param defaultValue  what the kernel shows before the attribute is written; null when it has no fixed default
 * @param normalizer    parser to the canonical (shown) text
 * @param jsonGroup     nvmetcli attribute group ({@code attr}, {@code device}, {@code addr}...); null for a
 *                      top-level int key; {@link #EXTRA} for jnvmet-only attributes nvmetcli does not know
 * @param jsonKey       key inside the group, or the top-level key
 * @param frozen        when configfs refuses a write
 */
record AttrDef(String name, String defaultValue, Values.Normalizer normalizer, String jsonGroup, String jsonKey,
        Frozen frozen) {

    /** The JSON group holding jnvmet-only attributes; nvmetcli ignores unknown keys. */
    static final String EXTRA = "jnvmet";

    /** Writes the kernel refuses while an object is in use. */
    enum Frozen {
        NEVER,
        /** addr_* / param_*: EACCES while the port is enabled (has linked subsystems). */
        WHILE_PORT_ENABLED,
        /** EBUSY/EINVAL while the object's own {@code enable} is 1 (namespace, passthru, referral). */
        WHILE_ENABLED
    }

    static AttrDef grouped(String name, String def, Values.Normalizer n, Frozen frozen) {
        int us = name.indexOf('_');
        return new AttrDef(name, def, n, name.substring(0, us), name.substring(us + 1), frozen);
    }

    static AttrDef topInt(String name, String def, Values.Normalizer n) {
        return new AttrDef(name, def, n, null, name, Frozen.NEVER);
    }

    static AttrDef extra(String name, String def, Values.Normalizer n, Frozen frozen) {
        return new AttrDef(name, def, n, EXTRA, name, frozen);
    }

    boolean topLevelInt() {
        return jsonGroup == null;
    }
}
