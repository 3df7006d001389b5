package org.jnvmet.model;

import java.util.List;
import org.jnvmet.api.TargetConfigException;

/**
 * A refused transaction. {@link #field()} and the message name the first problem
 * ({@code subsystems/<nqn>/attr_serial: longer than 20 characters}); {@link #problems()} lists all of them.
 */
public class ModelValidationException extends TargetConfigException {
    private static final long serialVersionUID = 1L;

    /** One refused object or field. */
    public record Problem(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    private final List<Problem> problems;

    public ModelValidationException(List<Problem> problems) {
        super(problems.get(0).path(), problems.get(0).message()
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        this.problems = List.copyOf(problems);
    }

    public ModelValidationException(String path, String message) {
        this(List.of(new Problem(path, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
