package org.jnvmet.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jnvmet.api.TargetConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
    static final String SUB = "subsystems/nqn.2014-08.org.example:s1";

    @TempDir
    Path dir;

    private ModelStoreImpl store(FakeTarget target, Path file) {
        ModelStoreImpl s = new ModelStoreImpl(target, new ModelStoreImpl.Options(file, false, 1000, true));
        s.start();
        return s;
    }

    @Test
    void everyChangeIsSavedAndThePreviousFileKeptAsLastGood() throws IOException {
        Path file = dir.resolve("config.json");
        ModelStoreImpl s = store(new FakeTarget(), file);
        assertFalse(Files.exists(file), "nothing is written before the first change");
        s.create(SUB);
        String first = Files.readString(file);
        assertEquals(s.exportJson(), first);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "it may hold DH-HMAC-CHAP secrets");
        s.set(SUB + "/attr_serial", "abc");
        assertEquals(s.exportJson(), Files.readString(file));
        assertEquals(first, Files.readString(dir.resolve("config.json.last-good")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("config.json", "config.json.last-good"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
    }

    @Test
    void theFileIsLoadedAtStart() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, NvmetcliRoundTripTest.fixture("full.json"));
        FakeTarget target = new FakeTarget();
        ModelStoreImpl s = store(target, file);
        assertEquals(Files.readString(file), s.exportJson());
        assertEquals(3, target.ports.size());
        assertTrue(s.fileError().isEmpty());
    }

    @Test
    void anInvalidFileAtStartRunsTheLastGoodOneAndIsNotOverwritten() throws IOException {
        Path file = dir.resolve("config.json");
        String good = NvmetcliRoundTripTest.fixture("full.json");
        Files.writeString(dir.resolve("config.json.last-good"), good);
        String bad = good.replace("\"qid_max\": \"16\"", "\"qid_max\": \"1000\"");
        Files.writeString(file, bad);
        FakeTarget target = new FakeTarget();
        ModelStoreImpl s = store(target, file);
        assertEquals("subsystems/nqn.2014-08.org.example:s1/attr_qid_max: must be 1..128", s.fileError().orElseThrow());
        assertEquals(good, s.exportJson());
        assertEquals(16, target.subsystems.get("nqn.2014-08.org.example:s1").qidMax());
        assertEquals(bad, Files.readString(file));
    }

    @Test
    void temporaryFilesOfAnInterruptedSaveAreRemovedAtStart() throws IOException {
        Path file = dir.resolve("config.json");
        Path leftover = dir.resolve(".config.json.8812345.tmp");
        Files.writeString(leftover, "{\"hosts\": [");
        store(new FakeTarget(), file);
        assertFalse(Files.exists(leftover));
    }

    @Test
    void aFailedSaveUndoesTheChangeOnTheTarget() throws IOException {
        Path notADirectory = dir.resolve("plain-file");
        Files.writeString(notADirectory, "x");
        FakeTarget target = new FakeTarget();
        ModelStoreImpl s = store(target, notADirectory.resolve("config.json"));
        target.takeCalls();
        TargetConfigException e = assertThrows(TargetConfigException.class, () -> s.create(SUB));
        assertTrue(e.getMessage().startsWith(notADirectory.resolve("config.json") + ": cannot save the configuration"),
                e.getMessage());
        assertEquals(List.of("putSubsystem nqn.2014-08.org.example:s1", "removeSubsystem nqn.2014-08.org.example:s1"),
                target.takeCalls());
        assertTrue(s.list("subsystems").isEmpty());
    }

    @Test
    void theDefaultFileIsInTheJnvmetHomeElseWhereNvmetcliKeepsIt() {
        String home = System.getProperty("jnvmet.home");
        try {
            System.clearProperty("jnvmet.home");
            assertEquals(Path.of("/etc/nvmet/config.json"), ModelStoreImpl.Options.of(config("")).file());
            System.setProperty("jnvmet.home", dir.toString());
            assertEquals(dir.resolve("config.json"), ModelStoreImpl.Options.of(config("")).file());
            assertEquals(Path.of("/srv/t.json"), ModelStoreImpl.Options.of(config("/srv/t.json")).file());
        } finally {
            if (home == null) {
                System.clearProperty("jnvmet.home");
            } else {
                System.setProperty("jnvmet.home", home);
            }
        }
    }

    private static ModelStoreConfig config(String file) {
        return new ModelStoreConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return ModelStoreConfig.class;
            }

            @Override
            public String file() {
                return file;
            }

            @Override
            public boolean watch() {
                return true;
            }

            @Override
            public long pollIntervalMs() {
                return 1000;
            }

            @Override
            public boolean strictNqn() {
                return true;
            }
        };
    }
}
