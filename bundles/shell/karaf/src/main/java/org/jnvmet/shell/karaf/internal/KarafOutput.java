package org.jnvmet.shell.karaf.internal;

import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.support.table.Col;
import org.apache.karaf.shell.support.table.ShellTable;
import org.jnvmet.shell.Output;
import org.jnvmet.shell.Table;

/** Prints {@link Output}, tables through Karaf's {@link ShellTable}. */
final class KarafOutput {
    private KarafOutput() {
    }

    static void print(PrintStream out, Output output) {
        if (output instanceof Output.Text t) {
            out.print(t.text());
            if (!t.text().isEmpty() && !t.text().endsWith("\n")) {
                out.println();
            }
        } else if (output instanceof Output.Tabular t) {
            if (!t.title().isEmpty()) {
                out.println(t.title());
            }
            shellTable(t.table()).print(out);
        } else {
            List<Output> parts = ((Output.Sections) output).parts();
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                print(out, parts.get(i));
            }
        }
    }

    static ShellTable shellTable(Table table) {
        ShellTable shell = new ShellTable();
        for (Table.Column c : table.columns()) {
            Col col = shell.column(c.header());
            if (c.align() == Table.Align.RIGHT) {
                col.alignRight();
            }
        }
        for (List<String> row : table.rows()) {
            shell.addRow().addContent(List.<Object>copyOf(row));
        }
        return shell;
    }
}
