package org.jnvmet.shell;

import java.util.List;

/** What a command shows: text, or a table with an optional title line. */
public sealed interface Output permits Output.Text, Output.Tabular, Output.Sections {

    /** Text printed as is (a trailing newline is added by the shell when missing). */
    record Text(String text) implements Output {
    }

    /** A table; {@code title} is printed above it unless empty. */
    record Tabular(String title, Table table) implements Output {
    }

    /** Several outputs one after another (e.g. {@code nvmet:stats --hosts --latency}). */
    record Sections(List<Output> parts) implements Output {
        public Sections {
            parts = List.copyOf(parts);
        }
    }

    static Output text(String text) {
        return new Text(text);
    }

    static Output table(Table table) {
        return new Tabular("", table);
    }

    /** Plain-text rendering (Gogo, logs, tests). */
    static String render(Output output) {
        StringBuilder out = new StringBuilder();
        render(output, out);
        return out.toString();
    }

    private static void render(Output output, StringBuilder out) {
        if (output instanceof Text t) {
            out.append(t.text());
            if (!t.text().isEmpty() && !t.text().endsWith("\n")) {
                out.append('\n');
            }
        } else if (output instanceof Tabular t) {
            if (!t.title().isEmpty()) {
                out.append(t.title()).append('\n');
            }
            out.append(TextTable.render(t.table()));
        } else {
            List<Output> parts = ((Sections) output).parts();
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    out.append('\n');
                }
                render(parts.get(i), out);
            }
        }
    }
}
