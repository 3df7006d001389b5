package org.jnvmet.api;

/** A rejected configuration change; {@link #field()} names the object and attribute, e.g. "subsystems/nqn.x/attr_serial". */
public class TargetConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public TargetConfigException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
