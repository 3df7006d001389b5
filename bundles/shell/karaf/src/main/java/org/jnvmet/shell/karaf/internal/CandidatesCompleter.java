package org.jnvmet.shell.karaf.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;

/** A completer from a list of candidates; one ending in "/" is a path to continue, so no space follows it. */
abstract class CandidatesCompleter implements Completer {

    abstract List<String> candidates(CommandLine line);

    /** The older string API: a trailing space marks a finished word, as StringsCompleter does. */
    @Override
    public int complete(Session session, CommandLine line, List<String> candidates) {
        String typed = typed(line);
        for (String c : candidates(line)) {
            if (c.startsWith(typed)) {
                candidates.add(c.endsWith("/") ? c : c + " ");
            }
        }
        return candidates.isEmpty() ? -1 : line.getBufferPosition() - line.getArgumentPosition();
    }

    @Override
    public void completeCandidates(Session session, CommandLine line, List<Candidate> candidates) {
        for (String c : candidates(line)) {
            candidates.add(new Candidate(c, !c.endsWith("/")));
        }
    }

    /** What has been typed of the argument under the cursor. */
    static String typed(CommandLine line) {
        String arg = line.getCursorArgument();
        if (arg == null) {
            return "";
        }
        int pos = Math.min(Math.max(0, line.getArgumentPosition()), arg.length());
        return arg.substring(0, pos);
    }

    /** The positional arguments before the cursor (the command name and options left out). */
    static List<String> positionalBeforeCursor(CommandLine line) {
        String[] args = line.getArguments();
        int cursor = Math.min(line.getCursorArgumentIndex(), args.length);
        List<String> out = new ArrayList<>();
        for (int i = 1; i < cursor; i++) {
            if (!args[i].startsWith("-")) {
                out.add(args[i]);
            }
        }
        return out;
    }
}
