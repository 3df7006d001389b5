package org.jnvmet.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** Columns and rows of text, rendered as a Karaf {@code ShellTable} or by {@link TextTable}. */
public final class Table {
    public enum Align { LEFT, RIGHT }

    public record Column(String header, Align align) {
        public Column {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(align, "align");
        }
    }

    private final List<Column> columns;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    public static Table of(Column... columns) {
        return new Table(Arrays.asList(columns));
    }

    public static Column left(String header) {
        return new Column(header, Align.LEFT);
    }

    /** A column of numbers. */
    public static Column right(String header) {
        return new Column(header, Align.RIGHT);
    }

    /** Adds a row; {@code null} cells print as empty. */
    public Table addRow(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells for " + columns.size() + " columns");
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object c : cells) {
            row.add(c == null ? "" : c.toString());
        }
        rows.add(Collections.unmodifiableList(row));
        return this;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<List<String>> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The cells of one column, top to bottom. */
    public List<String> column(String header) {
        int i = indexOf(header);
        return rows.stream().map(r -> r.get(i)).toList();
    }

    /** The cell of {@code header} in the first row whose first cell is {@code key}. */
    public String cell(String key, String header) {
        int i = indexOf(header);
        return rows.stream().filter(r -> r.get(0).equals(key)).findFirst()
                .map(r -> r.get(i))
                .orElseThrow(() -> new IllegalArgumentException("no row " + key));
    }

    private int indexOf(String header) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).header().equals(header)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + header);
    }

    @Override
    public String toString() {
        return TextTable.render(this);
    }
}
