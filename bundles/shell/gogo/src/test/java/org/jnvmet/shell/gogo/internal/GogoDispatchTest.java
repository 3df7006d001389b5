package org.jnvmet.shell.gogo.internal;

import static org.jnvmet.shell.fixtures.Fixtures.HOST1;
import static org.jnvmet.shell.fixtures.Fixtures.HOST2;
import static org.jnvmet.shell.fixtures.Fixtures.S1;
import static org.jnvmet.shell.fixtures.Fixtures.S2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandProxy;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.jnvmet.accounting.internal.AccountingServiceImpl;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.model.internal.ModelStoreImpl;
import org.jnvmet.shell.fixtures.Fixtures;
import org.jnvmet.shell.fixtures.RecordingTarget;
import org.jnvmet.spi.accounting.DeviceCounters;
import org.jnvmet.spi.accounting.DeviceCounters.Op;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gogo commands through the real Gogo runtime, registered the way its OSGi activator does (a CommandProxy per
 * osgi.command.function value), with the function names read from the DS descriptor bnd generated.
 */
class GogoDispatchTest {
    private static final Pattern FUNCTIONS =
            Pattern.compile("<property name=\"osgi.command.function\" type=\"String\">([^<]*)</property>");
    private static final Pattern ONE_FUNCTION =
            Pattern.compile("<property name=\"osgi.command.function\" type=\"String\" value=\"([^\"]*)\"/>");

    @TempDir
    Path dir;
    private RecordingTarget target;
    private ModelStoreImpl store;
    private AccountingServiceImpl accounting;
    private ThreadIOImpl threadIo;
    private CommandProcessorImpl processor;
    private CommandSession session;
    private final List<String> registered = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        target = new RecordingTarget();
        store = Fixtures.store(target);
        Fixtures.populate(store);
        accounting = new AccountingServiceImpl();
        threadIo = new ThreadIOImpl();
        threadIo.start();
        processor = new CommandProcessorImpl(threadIo);
        register(new NvmetGogoCommands(store, accounting, target), "NvmetGogoCommands");
        register(new AllowHostFunction(store), "AllowHostFunction");
        register(new DisallowHostFunction(store), "DisallowHostFunction");
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
        session.currentDir(dir);
    }

    @AfterEach
    void tearDown() {
        session.close();
        processor.stop();
        threadIo.stop();
    }

    private void register(Object service, String component) throws IOException {
        String xml;
        try (InputStream in = getClass().getResourceAsStream("/OSGI-INF/org.jnvmet.shell.gogo.internal." + component
                + ".xml")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(xml.contains("<property name=\"osgi.command.scope\" type=\"String\" value=\"nvmet\"/>"), xml);
        List<String> functions = new ArrayList<>();
        Matcher many = FUNCTIONS.matcher(xml);
        Matcher one = ONE_FUNCTION.matcher(xml);
        if (many.find()) {
            functions.addAll(List.of(many.group(1).trim().split("\\s+")));
        } else if (one.find()) {
            functions.add(one.group(1));
        }
        for (String f : functions) {
            processor.addCommand("nvmet", new CommandProxy(service, f), f);
            registered.add(f);
        }
    }

    private Object run(String line) throws Exception {
        return session.execute(line);
    }

    @Test
    void everyCommandIsRegistered() {
        assertEquals(List.of("ls", "get", "set", "create", "delete", "link", "unlink", "enable", "disable", "save",
                "restore", "import", "export", "stats", "connections", "allow-host", "disallow-host"), registered);
    }

    @Test
    void setWithABadValueNamesTheFieldAndChangesNothing() throws Exception {
        String before = store.exportJson();
        TargetConfigException e = assertThrows(TargetConfigException.class,
                () -> run("nvmet:set subsystems/" + S1 + " attr_serial 012345678901234567890"));
        assertTrue(e.getMessage().startsWith("subsystems/" + S1 + "/attr_serial: "), e.getMessage());
        assertEquals(before, store.exportJson());
        assertEquals("subsystems/" + S1 + "/attr_serial = new-serial\n",
                run("nvmet:set subsystems/" + S1 + " attr_serial new-serial"));
        assertEquals("new-serial\n", run("nvmet:get subsystems/" + S1 + " attr_serial"));
    }

    @Test
    void configurationRoundTripThroughGogo() throws Exception {
        assertTrue(((String) run("nvmet:ls")).startsWith("o- / ."));
        assertTrue(((String) run("nvmet:get ports/1")).contains("addr_traddr"));
        run("nvmet:create subsystems/" + S2);
        run("nvmet:create subsystems/" + S2 + "/namespaces/1");
        run("nvmet:set subsystems/" + S2 + "/namespaces/1 device_path ram:1M");
        assertEquals("enabled subsystems/" + S2 + "/namespaces/1\n",
                run("nvmet:enable subsystems/" + S2 + "/namespaces/1"));
        run("nvmet:link 1 " + S2);
        assertEquals("linked subsystems/" + S2 + "/allowed_hosts/" + HOST2 + " (created hosts/" + HOST2 + ")\n",
                run("nvmet:allow-host " + S2 + " " + HOST2));
        assertEquals(List.of(S1, S2), target.ports.get(1).subsystems());
        assertEquals(List.of(HOST2), target.subsystems.get(S2).allowedHosts());

        assertTrue(((String) run("nvmet:save checkpoint.json")).contains(dir.resolve("checkpoint.json").toString()),
                "relative to the session's directory");
        String saved = store.exportJson();
        run("nvmet:disallow-host " + S2 + " " + HOST2);
        run("nvmet:disable subsystems/" + S2 + "/namespaces/1");
        run("nvmet:unlink 1 " + S2);
        run("nvmet:delete subsystems/" + S2);
        assertEquals(List.of(S1), target.ports.get(1).subsystems());

        run("nvmet:restore checkpoint.json");
        assertEquals(saved, store.exportJson());
        assertEquals(List.of(S1, S2), target.ports.get(1).subsystems());

        assertThrows(Exception.class, () -> run("nvmet:export checkpoint.json"));
        run("nvmet:export --force checkpoint.json");
        TargetConfigException linked = assertThrows(TargetConfigException.class,
                () -> run("nvmet:delete hosts/" + HOST2));
        assertEquals("hosts/" + HOST2, linked.field(), "restored links protect the host again");
    }

    @Test
    void importMergesThroughTheKeywordNamedMethod() throws Exception {
        Files.writeString(dir.resolve("more.json"), "{\"subsystems\": [{\"nqn\": \"" + S2 + "\"}]}");
        assertTrue(((String) run("nvmet:import more.json")).contains("added: subsystems/" + S2));
        assertEquals(List.of(S1, S2), store.list("subsystems"));
    }

    @Test
    void statsOptionsAndConnections() throws Exception {
        DeviceCounters dev = accounting.device("jnvmet!" + S1 + "!ns1");
        dev.end(Op.READ, 8, dev.start(Op.READ), false, dev.session(HOST1, 1));
        String table = (String) run("nvmet:stats");
        assertTrue(table.startsWith("Device "), table);
        assertTrue(table.contains("jnvmet!" + S1 + "!ns1"), table);
        String diskstats = (String) run("nvmet:stats -d subsystems/" + S1 + "/namespaces/1");
        assertTrue(diskstats.matches("   0       0 jnvmet!\\S+!ns1 1 0 8 \\d+ 0 0 0 0 0 \\d+ \\d+ 0 0 0 0 0 0\n"),
                diskstats);
        assertTrue(((String) run("nvmet:stats --hosts " + S1)).contains(HOST1));
        assertTrue(((String) run("nvmet:stats -l")).contains("read"));

        target.controllers.add(new ControllerInfo(S1, 1, HOST1, "hostid", 1, 3, 0, true, "127.0.0.1:4000"));
        String connections = (String) run("nvmet:connections -v");
        assertTrue(connections.contains("Host ID"), connections);
        assertTrue(connections.contains("127.0.0.1:4000"), connections);
        assertTrue(((String) run("nvmet:connections " + S2)).split("\n").length == 2, "header only");
    }

    @Test
    void hostFunctionsCheckTheirArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run("nvmet:allow-host " + S1));
        assertTrue(e.getMessage().startsWith("usage: nvmet:allow-host SUBSYS HOST"), e.getMessage());
    }

    @Test
    void servicesMissingAtRuntime() {
        NvmetGogoCommands bare = new NvmetGogoCommands(store, null, null);
        assertEquals("the jnvmet accounting service is not running",
                assertThrows(RuntimeException.class, () -> bare.stats(false, false, false, false, false))
                        .getMessage());
        assertEquals("the jnvmet target is not running",
                assertThrows(RuntimeException.class, () -> bare.connections(false)).getMessage());
        assertTrue(bare.ls().contains("[trtype=tcp, traddr=127.0.0.1, trsvcid=4420, enabled]"));
    }
}
