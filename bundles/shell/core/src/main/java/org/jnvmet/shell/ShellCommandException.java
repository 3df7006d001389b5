package org.jnvmet.shell;

/**
 * A command refused before reaching the model (bad argument, unreadable file). Refusals by the model itself arrive
 * as {@link org.jnvmet.api.TargetConfigException}; both carry the text the shell prints.
 */
public class ShellCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ShellCommandException(String message) {
        super(message);
    }

    public ShellCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
