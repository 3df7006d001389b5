package org.jnvmet.shell.karaf.internal;

import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.shell.Output;
import org.jnvmet.shell.ShellCommandException;

/**
 * Runs a command's logic and prints its output. A refusal becomes a {@link CommandException}, which Karaf prints as
 * "Error executing command: " and the model's message (naming the field), without logging a stack trace.
 */
abstract class NvmetAction implements Action {

    @Override
    public final Object execute() throws Exception {
        Output output;
        try {
            output = run();
        } catch (TargetConfigException | ShellCommandException e) {
            throw new CommandException(e.getMessage(), e);
        }
        KarafOutput.print(System.out, output);
        return null;
    }

    /** The command's work; package-private so tests can look at the output. */
    abstract Output run();

    /**
     * A service the command cannot work without. Karaf delays every command of a bundle while one mandatory
     * reference of any of them is missing, so only the model store is mandatory and the others are checked here.
     */
    static <T> T require(T service, String what) {
        if (service == null) {
            throw new ShellCommandException(what + " is not running");
        }
        return service;
    }

    /** A FILE argument: relative to the session's current directory, like Karaf's own file commands. */
    static Path file(Session session, String name) {
        Path p = Path.of(name);
        if (p.isAbsolute() || session == null || session.currentDir() == null) {
            return p;
        }
        return session.currentDir().resolve(p);
    }
}
