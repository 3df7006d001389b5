package org.jnvmet.shell;

import java.util.List;

/** Renders a {@link Table} as plain text in the layout of Karaf's ShellTable, for shells without it (Gogo). */
public final class TextTable {
    private static final String SEPARATOR = " | ";

    private TextTable() {
    }

    public static String render(Table table) {
        List<Table.Column> cols = table.columns();
        int[] width = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            width[i] = cols.get(i).header().length();
        }
        for (List<String> row : table.rows()) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            cell(out, cols.get(i).header(), width[i], cols.get(i).align(), i == cols.size() - 1);
        }
        out.append('\n');
        for (int i = 0; i < cols.size(); i++) {
            out.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        out.append('\n');
        for (List<String> row : table.rows()) {
            for (int i = 0; i < row.size(); i++) {
                cell(out, row.get(i), width[i], cols.get(i).align(), i == row.size() - 1);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void cell(StringBuilder out, String text, int width, Table.Align align, boolean last) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
            out.append(SEPARATOR);
        }
        String pad = " ".repeat(width - text.length());
        if (align == Table.Align.RIGHT) {
            out.append(pad).append(text);
        } else {
            out.append(text);
            if (!last) {
                out.append(pad);
            }
        }
    }
}
