package org.jnvmet.shell.karaf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jnvmet.model.ModelStore;
import org.junit.jupiter.api.Test;

/** What Karaf's command scanner and users rely on: one public @Service class per command, all described. */
class CommandConventionsTest {
    static final List<Class<?>> COMMANDS = List.of(LsCommand.class, GetCommand.class, SetCommand.class,
            CreateCommand.class, DeleteCommand.class, LinkCommand.class, UnlinkCommand.class, AllowHostCommand.class,
            DisallowHostCommand.class, EnableCommand.class, DisableCommand.class, SaveCommand.class,
            RestoreCommand.class, ImportCommand.class, ExportCommand.class, StatsCommand.class,
            ConnectionsCommand.class);

    @Test
    void everyCommandIsAnnotatedAndDescribed() {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : COMMANDS) {
            Command command = c.getAnnotation(Command.class);
            assertNotNull(command, c.getName());
            assertNotNull(c.getAnnotation(Service.class), c.getName());
            assertTrue(Modifier.isPublic(c.getModifiers()), c.getName());
            assertEquals("nvmet", command.scope());
            assertFalse(command.description().isBlank(), c.getName());
            assertTrue(names.add(command.name()), "duplicate " + command.name());
            for (Field f : c.getDeclaredFields()) {
                Argument a = f.getAnnotation(Argument.class);
                Option o = f.getAnnotation(Option.class);
                if (a != null) {
                    assertFalse(a.description().isBlank(), c.getName() + "." + f.getName());
                }
                if (o != null) {
                    assertFalse(o.description().isBlank(), c.getName() + "." + f.getName());
                }
                Completion completion = f.getAnnotation(Completion.class);
                if (completion != null && !completion.value().getName().startsWith("org.apache.karaf.")) {
                    assertNotNull(completion.value().getAnnotation(Service.class), completion.value().getName());
                }
                Reference r = f.getAnnotation(Reference.class);
                if (r != null && !r.optional()) {
                    assertEquals(ModelStore.class, f.getType(), c.getName() + "." + f.getName()
                            + ": a mandatory reference other than the model store would hold back every command");
                }
            }
        }
        assertEquals(new TreeSet<>(List.of("ls", "get", "set", "create", "delete", "link", "unlink", "allow-host",
                "disallow-host", "enable", "disable", "save", "restore", "import", "export", "stats",
                "connections")), names);
    }
}
