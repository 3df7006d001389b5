package org.jnvmet.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process saving in a loop is killed with SIGKILL at random moments; every time, the file and its last-good copy
 * must load and validate, and a restart must clean up what the kill left.
 */
class CrashSafetyTest {
    private static final int KILLS = 30;
    private static final String SUB = "subsystems/nqn.2014-08.org.example:s1";

    @TempDir
    Path dir;

    @Test
    void theFileAlwaysLoadsAfterAKill() throws Exception {
        Path file = dir.resolve("config.json");
        ModelStoreImpl seed = new ModelStoreImpl(new FakeTarget(), new ModelStoreImpl.Options(file, false, 1000, true));
        seed.start();
        seed.create(SUB);
        seed.set(SUB + "/attr_serial", "seed");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), file.toString());
        Random random = new Random(42);
        int killedMidSave = 0;
        for (int i = 0; i < KILLS; i++) {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("READY", out.readLine(), "child started");
            Thread.sleep(5 + random.nextInt(120));
            p.destroyForcibly();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));

            String text = Files.readString(file);
            Node root = NvmetcliJson.read(text);
            assertEquals(List.of(), Validator.validate(null, root, true), "kill " + i + " left an invalid file");
            if (Files.exists(dir.resolve("config.json.last-good"))) {
                NvmetcliJson.read(Files.readString(dir.resolve("config.json.last-good")));
            }
            try (var files = Files.list(dir)) {
                killedMidSave += (int) files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
            }
        }
        // the children did save (the serial moved on), and a restart cleans what the kills left
        ModelStoreImpl after = new ModelStoreImpl(new FakeTarget(), new ModelStoreImpl.Options(file, false, 1000, true));
        after.start();
        assertNotEquals("seed", after.get(SUB + "/attr_serial"));
        assertTrue(after.fileError().isEmpty());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(Path::getFileName).map(Path::toString).filter(n -> n.endsWith(".tmp"))
                    .toList());
        }
        System.out.println("crash test: " + KILLS + " kills, " + killedMidSave + " during a save");
    }
}
