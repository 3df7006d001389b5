package org.jnvmet.shell;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jnvmet.model.ModelSnapshot;
import org.jnvmet.model.ModelStore;

/**
 * {@code nvmet:save}, {@code restore}, {@code import} and {@code export}: the configuration as nvmetcli JSON in files.
 * {@code save}/{@code restore} keep a checkpoint (default {@link #defaultSaveFile()}) and restore replaces the whole
 * configuration, like {@code nvmetcli restore}; {@code import} merges a file's hosts, subsystems and ports into the
 * running configuration (an object of the same name is replaced as a whole); {@code export} writes the running
 * configuration to a new file. The model store persists every change to its own file independently of these.
 */
public final class ConfigFiles {
    public static final String DEFAULT_FILE_NAME = "nvmet-saved.json";
    /** Bound on a file read; real configurations are kilobytes. */
    public static final long MAX_FILE_BYTES = 16L << 20;
    /** Top-level lists of nvmetcli's format and the field naming each element. */
    private static final Map<String, String> KEYED_LISTS = Map.of(ConfigPaths.HOSTS, "nqn",
            ConfigPaths.SUBSYSTEMS, "nqn", ConfigPaths.PORTS, "portid");
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ModelStore store;

    public ConfigFiles(ModelStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Where {@code save} and {@code restore} go without a FILE: {@code nvmet-saved.json} in {@code ${jnvmet.home}},
     * else in Karaf's {@code etc} directory, else in the working directory.
     */
    public static Path defaultSaveFile() {
        for (String property : List.of("jnvmet.home", "karaf.etc")) {
            String dir = System.getProperty(property);
            if (dir != null && !dir.isBlank()) {
                return Path.of(dir, DEFAULT_FILE_NAME);
            }
        }
        return Path.of(System.getProperty("user.dir", "."), DEFAULT_FILE_NAME);
    }

    /** Writes the running configuration to {@code file} (null: the default), replacing it atomically. */
    public Output save(Path file) {
        Path f = file == null ? defaultSaveFile() : file;
        write(f, store.exportJson());
        return Output.text("saved the configuration to " + f);
    }

    /** Replaces the whole configuration with {@code file} (null: the default); a refused file changes nothing. */
    public Output restore(Path file) {
        Path f = file == null ? defaultSaveFile() : file;
        String text = read(f);
        parse(f, text); // syntax errors name the file rather than the model's root
        store.importJson(text);
        ModelSnapshot s = store.snapshot();
        return Output.text("restored the configuration from " + f + ": " + count(s, ConfigPaths.HOSTS, "host") + ", "
                + count(s, ConfigPaths.SUBSYSTEMS, "subsystem") + ", " + count(s, ConfigPaths.PORTS, "port"));
    }

    private static String count(ModelSnapshot s, String group, String noun) {
        int n = s.list(group).size();
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Writes the running configuration to a new file, or over an existing one with {@code force}. */
    public Output export(Path file, boolean force) {
        Objects.requireNonNull(file, "file");
        if (!force && Files.exists(file)) {
            throw new ShellCommandException(file + ": exists (--force overwrites it)");
        }
        write(file, store.exportJson());
        return Output.text("exported the configuration to " + file);
    }

    /** The running configuration as nvmetcli JSON, for {@code export -}. */
    public Output exportText() {
        return Output.text(store.exportJson());
    }

    /**
     * Merges the hosts, subsystems and ports of {@code file} into the running configuration in one transaction;
     * other top-level entries of the file (e.g. {@code discovery}) replace the running ones.
     */
    public Output importFile(Path file) {
        Objects.requireNonNull(file, "file");
        JsonNode incoming = parse(file, read(file));
        ObjectNode merged = (ObjectNode) parse(null, store.exportJson());
        List<String> added = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = incoming.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = KEYED_LISTS.get(e.getKey());
            if (key == null) {
                merged.set(e.getKey(), e.getValue());
            } else {
                merged.set(e.getKey(), mergeList(file, e.getKey(), key, merged.get(e.getKey()), e.getValue(),
                        added, replaced));
            }
        }
        try {
            store.importJson(JSON.writeValueAsString(merged));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a parsed document", e);
        }
        if (added.isEmpty() && replaced.isEmpty()) {
            return Output.text("imported " + file + ": no hosts, subsystems or ports in it");
        }
        StringBuilder text = new StringBuilder("imported ").append(file);
        if (!added.isEmpty()) {
            text.append("\n  added: ").append(String.join(", ", added));
        }
        if (!replaced.isEmpty()) {
            text.append("\n  replaced: ").append(String.join(", ", replaced));
        }
        return Output.text(text.toString());
    }

    private static ArrayNode mergeList(Path file, String group, String key, JsonNode current, JsonNode incoming,
            List<String> added, List<String> replaced) {
        if (!incoming.isArray()) {
            throw new ShellCommandException(file + ": \"" + group + "\" is not a list");
        }
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        if (current != null && current.isArray()) {
            current.forEach(n -> byKey.put(n.path(key).asText(), n));
        }
        for (int i = 0; i < incoming.size(); i++) {
            JsonNode n = incoming.get(i);
            JsonNode k = n.get(key);
            if (!n.isObject() || k == null || !k.isValueNode() || k.asText().isEmpty()) {
                throw new ShellCommandException(file + ": " + group + "[" + i + "] has no \"" + key + "\"");
            }
            String name = group + "/" + k.asText();
            (byKey.put(k.asText(), n) == null ? added : replaced).add(name);
        }
        ArrayNode out = JSON.createArrayNode();
        byKey.values().forEach(out::add);
        return out;
    }

    private static JsonNode parse(Path file, String text) {
        JsonNode doc;
        try {
            doc = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ShellCommandException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        }
        if (doc == null || !doc.isObject()) {
            throw new ShellCommandException(file + ": not a JSON object");
        }
        return doc;
    }

    static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ShellCommandException(file + ": larger than " + MAX_FILE_BYTES + " bytes");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new ShellCommandException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    /** Through a temporary file in the same directory, so readers see the old or the new file, never a torn one. */
    static void write(Path file, String text) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer data = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (data.hasRemaining()) {
                    ch.write(data);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw failure(file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the failure being reported matters more than the leftover
                }
            }
        }
    }

    private static ShellCommandException failure(Path file, IOException e) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new ShellCommandException(file + ": " + why, e);
    }
}
