package org.jnvmet.shell;

import static org.jnvmet.shell.fixtures.Fixtures.HOST2;
import static org.jnvmet.shell.fixtures.Fixtures.S1;
import static org.jnvmet.shell.fixtures.Fixtures.S2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.model.internal.ModelStoreImpl;
import org.jnvmet.shell.fixtures.Fixtures;
import org.jnvmet.shell.fixtures.RecordingTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** save, restore, import and export against the real model store. */
class ConfigFilesTest {
    @TempDir
    Path dir;
    private RecordingTarget target;
    private ModelStoreImpl store;
    private ConfigCommands commands;
    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        target = new RecordingTarget();
        store = Fixtures.store(target);
        Fixtures.populate(store);
        commands = new ConfigCommands(store, target);
        files = new ConfigFiles(store);
    }

    @Test
    void saveThenRestoreBringsBackTheWholeConfiguration() throws IOException {
        commands.create("subsystems/" + S2);
        commands.link("1", S2);
        String saved = store.exportJson();
        Path file = dir.resolve("nested/saved.json");
        assertEquals("saved the configuration to " + file + "\n", Output.render(files.save(file)));
        assertEquals(saved, Files.readString(file));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(List.of(file), listing.toList(), "no temporary file left behind");
        }

        commands.unlink("1", S2);
        commands.delete("subsystems/" + S2);
        commands.delete("ports/1");
        assertFalse(target.ports.containsKey(1));

        assertEquals("restored the configuration from " + file + ": 1 host, 2 subsystems, 1 port\n",
                Output.render(files.restore(file)));
        assertEquals(saved, store.exportJson());
        assertEquals(List.of(S1, S2), target.ports.get(1).subsystems(), "the target serves the port again");
    }

    @Test
    void restoreReplacesRatherThanMerges() throws IOException {
        Path file = dir.resolve("only-s2.json");
        Files.writeString(file, "{\"subsystems\": [{\"nqn\": \"" + S2 + "\"}]}");
        files.restore(file);
        assertEquals(List.of(S2), store.list("subsystems"));
        assertEquals(List.of(), store.list("ports"));
        assertTrue(target.ports.isEmpty());
    }

    @Test
    void aRefusedRestoreKeepsTheRunningConfiguration() throws IOException {
        String before = store.exportJson();
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"subsystems\": [{\"nqn\": \"" + S2 + "\", \"attr\": {\"serial\": "
                + "\"012345678901234567890\"}}]}");
        TargetConfigException e = assertThrows(TargetConfigException.class, () -> files.restore(file));
        assertEquals("subsystems/" + S2 + "/attr_serial", e.field());
        assertEquals(before, store.exportJson());

        ShellCommandException missing = assertThrows(ShellCommandException.class,
                () -> files.restore(dir.resolve("absent.json")));
        assertEquals(dir.resolve("absent.json") + ": no such file or directory", missing.getMessage());
        Files.writeString(file, "{\"subsystems\": [");
        ShellCommandException json = assertThrows(ShellCommandException.class, () -> files.restore(file));
        assertTrue(json.getMessage().startsWith(file + ": not valid JSON: "), json.getMessage());
        assertEquals(before, store.exportJson());
    }

    @Test
    void importMergesObjectsByNameInOneTransaction() throws IOException {
        Path file = dir.resolve("import.json");
        Files.writeString(file, "{\n"
                + "  \"hosts\": [{\"nqn\": \"" + HOST2 + "\"}],\n"
                + "  \"subsystems\": [\n"
                + "    {\"nqn\": \"" + S2 + "\", \"allowed_hosts\": [\"" + HOST2 + "\"]},\n"
                + "    {\"nqn\": \"" + S1 + "\", \"attr\": {\"serial\": \"replaced\", \"allow_any_host\": \"1\"}}\n"
                + "  ],\n"
                + "  \"ports\": [{\"portid\": 2, \"addr\": {\"trtype\": \"loop\"}, \"subsystems\": [\"" + S2
                + "\"]}]\n"
                + "}\n");
        assertEquals("imported " + file + "\n"
                + "  added: hosts/" + HOST2 + ", subsystems/" + S2 + ", ports/2\n"
                + "  replaced: subsystems/" + S1 + "\n", Output.render(files.importFile(file)));
        assertEquals(List.of(S1, S2), store.list("subsystems"));
        assertEquals("replaced", store.get("subsystems/" + S1 + "/attr_serial"));
        assertEquals(List.of(), store.list("subsystems/" + S1 + "/namespaces"),
                "a replaced object is replaced whole, not merged attribute by attribute");
        assertEquals(List.of(S1), store.list("ports/1/subsystems"), "port 1 untouched");
        assertEquals(List.of(S2), target.ports.get(2).subsystems());
    }

    @Test
    void aRefusedImportChangesNothing() throws IOException {
        String before = store.exportJson();
        Path file = dir.resolve("dangling.json");
        Files.writeString(file, "{\"ports\": [{\"portid\": 3, \"addr\": {\"trtype\": \"loop\"}, "
                + "\"subsystems\": [\"" + S2 + "\"]}]}");
        TargetConfigException e = assertThrows(TargetConfigException.class, () -> files.importFile(file));
        assertEquals("ports/3/subsystems/" + S2, e.field());
        assertEquals(before, store.exportJson());

        Files.writeString(file, "{\"ports\": [{\"addr\": {}}]}");
        assertEquals(file + ": ports[0] has no \"portid\"",
                assertThrows(ShellCommandException.class, () -> files.importFile(file)).getMessage());
        Files.writeString(file, "[1, 2]");
        assertEquals(file + ": not a JSON object",
                assertThrows(ShellCommandException.class, () -> files.importFile(file)).getMessage());
        Files.write(file, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        assertEquals(file + ": not UTF-8 text",
                assertThrows(ShellCommandException.class, () -> files.importFile(file)).getMessage());
        assertEquals(before, store.exportJson());
    }

    @Test
    void exportWritesNvmetcliJsonAndKeepsExistingFiles() throws IOException {
        Path file = dir.resolve("export.json");
        files.export(file, false);
        assertEquals(store.exportJson(), Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(file + ": exists (--force overwrites it)",
                assertThrows(ShellCommandException.class, () -> files.export(file, false)).getMessage());
        commands.create("subsystems/" + S2);
        files.export(file, true);
        assertTrue(Files.readString(file).contains(S2));
        assertEquals(store.exportJson(), Output.render(files.exportText()));
    }

    @Test
    void theDefaultSaveFileFollowsJnvmetHome() {
        String old = System.getProperty("jnvmet.home");
        System.setProperty("jnvmet.home", dir.toString());
        try {
            assertEquals(dir.resolve(ConfigFiles.DEFAULT_FILE_NAME), ConfigFiles.defaultSaveFile());
            files.save(null);
            assertTrue(Files.exists(dir.resolve(ConfigFiles.DEFAULT_FILE_NAME)));
        } finally {
            if (old == null) {
                System.clearProperty("jnvmet.home");
            } else {
                System.setProperty("jnvmet.home", old);
            }
        }
    }
}
