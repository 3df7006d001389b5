package org.jnvmet.shell.karaf.internal;

import static org.jnvmet.shell.fixtures.Fixtures.S1;
import static org.jnvmet.shell.fixtures.Fixtures.S2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.karaf.shell.support.CommandException;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.model.internal.ModelStoreImpl;
import org.jnvmet.shell.Output;
import org.jnvmet.shell.Table;
import org.jnvmet.shell.fixtures.Fixtures;
import org.jnvmet.shell.fixtures.RecordingTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Karaf commands as Karaf runs them: fields injected, execute() called, output on System.out. */
class KarafCommandsTest {
    @TempDir
    Path dir;
    private RecordingTarget target;
    private ModelStoreImpl store;

    @BeforeEach
    void setUp() {
        target = new RecordingTarget();
        store = Fixtures.store(target);
        Fixtures.populate(store);
    }

    /** Runs the command as Karaf does and returns what it printed. */
    private static String execute(NvmetAction command) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertNull(command.execute());
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void setWithABadValuePrintsTheFieldAndKeepsTheConfiguration() throws Exception {
        String before = store.exportJson();
        SetCommand set = new SetCommand();
        set.store = store;
        set.path = "subsystems/" + S1;
        set.attr = "attr_serial";
        set.value = "012345678901234567890";
        CommandException e = assertThrows(CommandException.class, set::execute);
        assertTrue(e.getMessage().startsWith("subsystems/" + S1 + "/attr_serial: "), e.getMessage());
        assertTrue(e.getNiceHelp().contains("subsystems/" + S1 + "/attr_serial: "), e.getNiceHelp());
        assertEquals(before, store.exportJson());

        set.value = "ok-serial";
        assertEquals("subsystems/" + S1 + "/attr_serial = ok-serial\n", execute(set));
        assertEquals("ok-serial", target.subsystems.get(S1).serial());
    }

    @Test
    void createLinkSaveAndRestoreRoundTrip() throws Exception {
        CreateCommand create = new CreateCommand();
        create.store = store;
        create.path = "subsystems/" + S2;
        assertEquals("created subsystems/" + S2 + "\n", execute(create));
        LinkCommand link = new LinkCommand();
        link.store = store;
        link.port = "1";
        link.subsystem = S2;
        execute(link);
        assertEquals(List.of(S1, S2), target.ports.get(1).subsystems());

        Path file = dir.resolve("checkpoint.json");
        SaveCommand save = new SaveCommand();
        save.store = store;
        save.file = file.toString();
        execute(save);
        String saved = store.exportJson();

        UnlinkCommand unlink = new UnlinkCommand();
        unlink.store = store;
        unlink.port = "1";
        unlink.subsystem = S2;
        execute(unlink);
        DeleteCommand delete = new DeleteCommand();
        delete.store = store;
        delete.path = "subsystems/" + S2;
        execute(delete);
        assertFalse(target.subsystems.containsKey(S2));

        RestoreCommand restore = new RestoreCommand();
        restore.store = store;
        restore.file = file.toString();
        assertTrue(execute(restore).startsWith("restored the configuration from " + file));
        assertEquals(saved, store.exportJson());
        assertEquals(List.of(S1, S2), target.ports.get(1).subsystems());
    }

    @Test
    void exportRefusesToOverwriteWithoutForce() throws Exception {
        Path file = Files.writeString(dir.resolve("there.json"), "{}");
        ExportCommand export = new ExportCommand();
        export.store = store;
        export.file = file.toString();
        CommandException e = assertThrows(CommandException.class, export::execute);
        assertEquals(file + ": exists (--force overwrites it)", e.getMessage());
        export.force = true;
        execute(export);
        assertEquals(store.exportJson(), Files.readString(file));
        export.file = "-";
        assertEquals(store.exportJson(), execute(export));
    }

    @Test
    void lsPrintsTheTree() throws Exception {
        LsCommand ls = new LsCommand();
        ls.store = store;
        ls.target = target;
        ls.path = "subsystems";
        String out = execute(ls);
        assertTrue(out.startsWith("o- subsystems ."), out);
        assertTrue(out.contains("  o- " + S1 + " ."), out);
        assertTrue(out.endsWith("[disabled]\n"), out);
    }

    @Test
    void connectionsAndStatsNeedTheirServices() throws Exception {
        ConnectionsCommand connections = new ConnectionsCommand();
        assertEquals("the jnvmet target is not running",
                assertThrows(CommandException.class, connections::execute).getMessage());
        target.controllers.add(new ControllerInfo(S1, 3, Fixtures.HOST1, "hostid", 1, 2, 15000, true,
                "127.0.0.1:50000"));
        connections.target = target;
        String out = execute(connections);
        assertTrue(out.contains("Host NQN"), out);
        assertTrue(out.contains(Fixtures.HOST1), out);
        assertTrue(out.contains("15000 ms"), out);

        StatsCommand stats = new StatsCommand();
        assertEquals("the jnvmet accounting service is not running",
                assertThrows(CommandException.class, stats::execute).getMessage());
    }

    @Test
    void tablesGoThroughShellTable() {
        Table t = Table.of(Table.left("Name"), Table.right("Count")).addRow("a", 1).addRow("bbb", 22);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KarafOutput.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), new Output.Tabular("Title:", t));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("Title:", lines[0]);
        assertTrue(lines[1].startsWith("Name"), lines[1]);
        assertTrue(lines[3].startsWith("a  ") && lines[3].trim().endsWith(" 1"), lines[3]);
        assertTrue(lines[4].startsWith("bbb") && lines[4].trim().endsWith("22"), lines[4]);
        assertEquals(5, lines.length);
    }
}
