package org.jnvmet.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.jnvmet.model.ModelEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotReloadTest {
    static final String S1 = "nqn.2014-08.org.example:s1";

    @TempDir
    Path dir;
    private ModelStoreImpl store;

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void anEditedFileIsAppliedAndAnInvalidOneRefused() throws Exception {
        Path file = dir.resolve("config.json");
        FakeTarget target = new FakeTarget();
        store = new ModelStoreImpl(target, new ModelStoreImpl.Options(file, true, 50, true));
        store.start();
        List<ModelEvent> events = new CopyOnWriteArrayList<>();
        store.addListener(events::add);
        store.edit(e -> {
            e.create("subsystems/" + S1);
            e.set("subsystems/" + S1 + "/attr_serial", "before");
        });
        String saved = Files.readString(file);
        target.takeCalls();
        events.clear();

        // an administrator edits the file in place
        Files.writeString(file, saved.replace("\"before\"", "\"after\""));
        await("the edit is applied", () -> !events.isEmpty());
        assertEquals(List.of("putSubsystem " + S1), target.takeCalls());
        assertEquals("after", target.subsystems.get(S1).serial());
        assertEquals("after", store.get("subsystems/" + S1 + "/attr_serial"));
        assertEquals(ModelEvent.Source.FILE, events.get(0).source());
        assertEquals(saved, Files.readString(dir.resolve("config.json.last-good")), "the previous configuration");

        // an invalid edit is refused; the running configuration and the file stay as they are
        String running = store.exportJson();
        String bad = running.replace("\"after\"", "\"" + "x".repeat(21) + "\"");
        Files.writeString(file, bad);
        await("the edit is refused", () -> store.fileError().isPresent());
        assertEquals("subsystems/" + S1 + "/attr_serial: longer than 20 characters", store.fileError().get());
        Thread.sleep(200);
        assertEquals(running, store.exportJson());
        assertEquals(List.of(), target.takeCalls());
        assertEquals(bad, Files.readString(file), "the refused file is not overwritten");

        // fixing the file applies it
        Files.writeString(file, running.replace("\"after\"", "\"fixed\""));
        await("the fixed file is applied", () -> store.fileError().isEmpty());
        assertEquals("fixed", target.subsystems.get(S1).serial());
    }

    @Test
    void aChangeThroughTheApiMovesARefusedFileAsideBeforeSaving() throws Exception {
        Path file = dir.resolve("config.json");
        FakeTarget target = new FakeTarget();
        store = new ModelStoreImpl(target, new ModelStoreImpl.Options(file, true, 50, true));
        store.start();
        store.create("subsystems/" + S1);
        String bad = store.exportJson().replace("\"attr\": {}", "\"attr\": {\"qid_max\": \"0\"}");
        Files.writeString(file, bad);
        await("the edit is refused", () -> store.fileError().isPresent());

        store.set("subsystems/" + S1 + "/attr_model", "shell");
        assertEquals(bad, Files.readString(dir.resolve("config.json.rejected")));
        assertEquals(store.exportJson(), Files.readString(file));
        assertTrue(store.fileError().isEmpty());
        Thread.sleep(200);
        assertEquals("shell", store.get("subsystems/" + S1 + "/attr_model"), "its own save is not reloaded as news");
    }

    @Test
    void switchingToAnotherFileLoadsIt() throws Exception {
        Path first = dir.resolve("a.json");
        Path second = dir.resolve("b.json");
        Files.writeString(second, NvmetcliRoundTripTest.fixture("full.json"));
        FakeTarget target = new FakeTarget();
        store = new ModelStoreImpl(target, new ModelStoreImpl.Options(first, true, 50, true));
        store.start();
        store.reconfigure(new ModelStoreImpl.Options(second, true, 50, true));
        assertEquals(3, target.ports.size());
        assertEquals(Files.readString(second), store.exportJson());
    }
}
