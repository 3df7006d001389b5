package org.jnvmet.shell;

import static org.jnvmet.shell.fixtures.Fixtures.HOST1;
import static org.jnvmet.shell.fixtures.Fixtures.HOST2;
import static org.jnvmet.shell.fixtures.Fixtures.S1;
import static org.jnvmet.shell.fixtures.Fixtures.S2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.model.ModelValidationException;
import org.jnvmet.model.internal.ModelStoreImpl;
import org.jnvmet.shell.fixtures.Fixtures;
import org.jnvmet.shell.fixtures.RecordingTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The configuration commands against the real model store applying to a recording target. */
class ConfigCommandsTest {
    private RecordingTarget target;
    private ModelStoreImpl store;
    private ConfigCommands commands;

    @BeforeEach
    void setUp() {
        target = new RecordingTarget();
        store = Fixtures.store(target);
        Fixtures.populate(store);
        commands = new ConfigCommands(store, target);
    }

    private static String text(Output o) {
        return Output.render(o);
    }

    @Test
    void lsDrawsTheTreeLikeNvmetcli() {
        assertEquals(""
                + "o- / ..................................................................... [...]\n"
                + "  o- hosts ............................................................... [...]\n"
                + "  | o- nqn.2014-08.org.example:host1 ..................................... [...]\n"
                + "  o- ports ............................................................... [...]\n"
                + "  | o- 1 ...... [trtype=tcp, traddr=127.0.0.1, trsvcid=4420, enabled, listening]\n"
                + "  |   o- ana_groups ...................................................... [...]\n"
                + "  |   | o- 1 ................................................. [state=optimized]\n"
                + "  |   o- referrals ....................................................... [...]\n"
                + "  |   o- subsystems ...................................................... [...]\n"
                + "  |     o- nqn.2014-08.org.example:s1 .................................... [...]\n"
                + "  o- subsystems .......................................................... [...]\n"
                + "    o- nqn.2014-08.org.example:s1 ..... [allow_any=0, serial=sn-s1, model=Linux]\n"
                + "      o- allowed_hosts ................................................... [...]\n"
                + "      | o- nqn.2014-08.org.example:host1 ................................. [...]\n"
                + "      o- namespaces ...................................................... [...]\n"
                + "      | o- 1 . [path=ram:64M, uuid=6c0b3e62-7a3f-4d5f-9d59-8f2b5f6f1a01, grpid=1, enabled]\n"
                + "      o- passthru ................................................... [disabled]\n",
                text(commands.ls("", 80)));
    }

    @Test
    void lsOfASubtreeAndThePortStateFromTheTarget() {
        commands.create("ports/2");
        commands.set("ports/2", "addr_trtype", "loop");
        commands.link("2", S1);
        String ls = text(commands.ls("/sys/kernel/config/nvmet/ports/2/", 60));
        assertEquals(""
                + "o- 2 . [trtype=loop, enabled, not listening: transport loop not registered]\n"
                + "  o- ana_groups ...................................... [...]\n"
                + "  | o- 1 ................................. [state=optimized]\n"
                + "  o- referrals ....................................... [...]\n"
                + "  o- subsystems ...................................... [...]\n"
                + "    o- nqn.2014-08.org.example:s1 .................... [...]\n", ls);
        // without a running target the tree still draws, without the listening state
        assertTrue(text(new ConfigCommands(store, null).ls("ports/2", 60))
                .startsWith("o- 2 ................................ [trtype=loop, enabled]\n"));
    }

    @Test
    void lsRefusesMissingObjectsAndAttributesNamingThePath() {
        TargetConfigException missing = assertThrows(TargetConfigException.class,
                () -> commands.ls("subsystems/nqn.2014-08.org.example:nope", 80));
        assertEquals("subsystems/nqn.2014-08.org.example:nope", missing.field());
        TargetConfigException attr = assertThrows(TargetConfigException.class,
                () -> commands.ls("subsystems/" + S1 + "/attr_serial", 80));
        assertEquals("subsystems/" + S1 + "/attr_serial", attr.field());
    }

    @Test
    void getShowsOneValueOrTheObjectsAttributes() {
        assertEquals("sn-s1\n", text(commands.get("subsystems/" + S1, "attr_serial")));
        assertEquals("sn-s1\n", text(commands.get("/subsystems/" + S1 + "/attr_serial", null)));
        assertEquals("1\n", text(commands.get("subsystems/" + S1 + "/namespaces/1", "enable")));
        Output.Tabular ports = (Output.Tabular) commands.get("ports/1", null);
        assertEquals("127.0.0.1", ports.table().cell("addr_traddr", "Value"));
        assertEquals("-1", ports.table().cell("param_max_queue_size", "Value"), "defaults are shown too");
        assertThrows(TargetConfigException.class, () -> commands.get("subsystems/" + S1, "attr_nonsense"));
    }

    @Test
    void setWithABadValueNamesTheFieldAndChangesNothing() {
        String before = store.exportJson();
        var targetBefore = target.subsystems.get(S1);
        TargetConfigException e = assertThrows(TargetConfigException.class,
                () -> commands.set("subsystems/" + S1, "attr_serial", "012345678901234567890"));
        assertEquals("subsystems/" + S1 + "/attr_serial", e.field());
        assertTrue(e.getMessage().startsWith("subsystems/" + S1 + "/attr_serial: "), e.getMessage());
        assertEquals(before, store.exportJson());
        assertEquals(targetBefore, target.subsystems.get(S1));
        assertEquals("sn-s1\n", text(commands.get("subsystems/" + S1, "attr_serial")));

        TargetConfigException port = assertThrows(TargetConfigException.class,
                () -> commands.set("ports/1", "addr_trtype", "carrier-pigeon"));
        assertEquals("ports/1/addr_trtype", port.field());
        assertEquals(before, store.exportJson());
    }

    @Test
    void setShowsTheValueNowInForce() {
        assertEquals("subsystems/" + S1 + "/attr_model = jnvmet test\n",
                text(commands.set("subsystems/" + S1, "attr_model", "jnvmet test")));
        assertEquals("jnvmet test", target.subsystems.get(S1).model());
    }

    @Test
    void aRefusalByTheTargetRollsTheModelBack() {
        commands.create("subsystems/" + S1 + "/namespaces/2");
        commands.set("subsystems/" + S1 + "/namespaces/2", "device_path", "/refused/disk");
        String before = store.exportJson();
        TargetConfigException e = assertThrows(TargetConfigException.class,
                () -> commands.enable("subsystems/" + S1 + "/namespaces/2", true));
        assertEquals("subsystems/" + S1 + "/namespaces/2/device_path", e.field());
        assertEquals(before, store.exportJson());
        assertEquals("0\n", text(commands.get("subsystems/" + S1 + "/namespaces/2", "enable")));
    }

    @Test
    void createLinkEnableAndDeleteReachTheTarget() {
        assertEquals("created subsystems/" + S2 + "\n", text(commands.create("/subsystems/" + S2 + "/")));
        commands.create("subsystems/" + S2 + "/namespaces/7");
        commands.set("subsystems/" + S2 + "/namespaces/7", "device_path", "ram:1M");
        assertEquals("enabled subsystems/" + S2 + "/namespaces/7\n",
                text(commands.enable("subsystems/" + S2 + "/namespaces/7", true)));
        assertTrue(target.namespaces.get(S2).get(7).enabled());
        assertEquals("linked ports/1/subsystems/" + S2 + "\n", text(commands.link("1", S2)));
        assertEquals(List.of(S1, S2), target.ports.get(1).subsystems());

        commands.enable("subsystems/" + S2 + "/namespaces/7", false);
        assertFalse(target.namespaces.get(S2).get(7).enabled());

        TargetConfigException linked = assertThrows(TargetConfigException.class,
                () -> commands.delete("subsystems/" + S2));
        assertTrue(linked.getMessage().contains("subsystems/" + S2), linked.getMessage());
        assertEquals("unlinked ports/1/subsystems/" + S2 + "\n", text(commands.unlink("1", S2)));
        assertEquals("deleted subsystems/" + S2 + "\n", text(commands.delete("subsystems/" + S2)));
        assertFalse(target.subsystems.containsKey(S2));
    }

    @Test
    void allowHostCreatesTheHostInTheSameTransaction() {
        assertEquals("linked subsystems/" + S1 + "/allowed_hosts/" + HOST2 + " (created hosts/" + HOST2 + ")\n",
                text(commands.allowHost(S1, HOST2)));
        assertEquals(List.of(HOST1, HOST2), target.subsystems.get(S1).allowedHosts());
        assertEquals(List.of(HOST1, HOST2), store.list("hosts"));

        assertEquals("unlinked subsystems/" + S1 + "/allowed_hosts/" + HOST2 + "\n",
                text(commands.disallowHost(S1, HOST2)));
        assertEquals(List.of(HOST1), target.subsystems.get(S1).allowedHosts());
        assertEquals(List.of(HOST1, HOST2), store.list("hosts"), "the host object stays");
    }

    @Test
    void aRefusedAllowHostLeavesNoHostBehind() {
        commands.create("subsystems/" + S2);
        commands.set("subsystems/" + S2, "attr_allow_any_host", "1");
        String before = store.exportJson();
        TargetConfigException e = assertThrows(TargetConfigException.class, () -> commands.allowHost(S2, HOST2));
        assertEquals("subsystems/" + S2 + "/allowed_hosts/" + HOST2, e.field());
        assertEquals(before, store.exportJson());
        assertFalse(store.list("hosts").contains(HOST2));

        ModelValidationException badNqn = assertThrows(ModelValidationException.class,
                () -> commands.allowHost(S1, "not-an-nqn"));
        assertTrue(badNqn.field().contains("not-an-nqn"), badNqn.field());
        assertEquals(before, store.exportJson());
    }

    @Test
    void enableRefusesObjectsWithoutEnable() {
        ShellCommandException e = assertThrows(ShellCommandException.class, () -> commands.enable("ports/1", true));
        assertTrue(e.getMessage().startsWith("ports/1: not a namespace, passthru or referral"), e.getMessage());
        assertThrows(ShellCommandException.class, () -> commands.create(" "));
    }
}
