package org.jnvmet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void columnsArePaddedAndNumbersRightAligned() {
        Table t = Table.of(Table.left("Name"), Table.right("Count"), Table.left("Note"))
                .addRow("a", 1, "x")
                .addRow("longer", 12345, null);
        assertEquals(""
                + "Name   | Count | Note\n"
                + "-------+-------+-----\n"
                + "a      |     1 | x\n"
                + "longer | 12345 | \n", TextTable.render(t));
        assertThrows(IllegalArgumentException.class, () -> t.addRow("too few"));
    }

    @Test
    void sectionsAreSeparatedByABlankLine() {
        Output o = new Output.Sections(java.util.List.of(Output.text("one"),
                new Output.Tabular("Title:", Table.of(Table.left("A")).addRow("v"))));
        assertEquals("one\n\nTitle:\nA\n-\nv\n", Output.render(o));
    }
}
