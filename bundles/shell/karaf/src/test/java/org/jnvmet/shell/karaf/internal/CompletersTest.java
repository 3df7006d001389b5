package org.jnvmet.shell.karaf.internal;

import static org.jnvmet.shell.fixtures.Fixtures.S1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.CommandLine;
import org.jnvmet.model.internal.ModelStoreImpl;
import org.jnvmet.shell.fixtures.Fixtures;
import org.jnvmet.shell.fixtures.RecordingTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CompletersTest {
    private ModelStoreImpl store;

    @BeforeEach
    void setUp() {
        store = Fixtures.store(new RecordingTarget());
        Fixtures.populate(store);
    }

    /** The line as Karaf hands it to a completer, the cursor at the end of the last word. */
    private static CommandLine line(String... words) {
        String buffer = String.join(" ", words);
        return new CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return words.length - 1;
            }

            @Override
            public String getCursorArgument() {
                return words[words.length - 1];
            }

            @Override
            public int getArgumentPosition() {
                return words[words.length - 1].length();
            }

            @Override
            public String[] getArguments() {
                return words;
            }

            @Override
            public int getBufferPosition() {
                return buffer.length();
            }

            @Override
            public String getBuffer() {
                return buffer;
            }
        };
    }

    @Test
    void pathsContinueWithoutASpaceAfterADirectory() {
        PathCompleter paths = new PathCompleter();
        paths.store = store;
        List<Candidate> out = new ArrayList<>();
        paths.completeCandidates(null, line("nvmet:ls", "subsystems/"), out);
        assertEquals(1, out.size());
        assertEquals("subsystems/" + S1 + "/", out.get(0).value());
        assertFalse(out.get(0).complete(), "more segments can follow");

        List<String> strings = new ArrayList<>();
        paths.complete(null, line("nvmet:ls", "po"), strings);
        assertEquals(List.of("ports/"), strings);
    }

    @Test
    void attributesOfThePathArgument() {
        AttributeCompleter attrs = new AttributeCompleter();
        attrs.store = store;
        List<Candidate> out = new ArrayList<>();
        attrs.completeCandidates(null, line("nvmet:set", "ports/1", "addr_tr"), out);
        List<String> values = out.stream().map(Candidate::value).toList();
        assertTrue(values.containsAll(List.of("addr_trtype", "addr_traddr", "addr_trsvcid")), values.toString());
        assertTrue(out.stream().allMatch(Candidate::complete));

        out.clear();
        attrs.completeCandidates(null, line("nvmet:get", "-x", "subsystems/" + S1 + "/namespaces/1", ""), out);
        assertTrue(out.stream().map(Candidate::value).toList().contains("device_path"));
    }

    @Test
    void namesOfSubsystemsPortsAndSwitchables() {
        SubsystemCompleter subsystems = new SubsystemCompleter();
        subsystems.store = store;
        List<String> out = new ArrayList<>();
        subsystems.complete(null, line("nvmet:link", "1", "nqn"), out);
        assertEquals(List.of(S1 + " "), out, "a finished word");

        SwitchableCompleter switchable = new SwitchableCompleter();
        switchable.store = store;
        List<Candidate> candidates = new ArrayList<>();
        switchable.completeCandidates(null, line("nvmet:enable", ""), candidates);
        assertEquals(List.of("subsystems/" + S1 + "/namespaces/1", "subsystems/" + S1 + "/passthru"),
                candidates.stream().map(Candidate::value).toList());

        DeviceCompleter devices = new DeviceCompleter();
        candidates.clear();
        devices.completeCandidates(null, line("nvmet:stats", ""), candidates);
        assertEquals(List.of(), candidates, "no accounting service: nothing to offer, no failure");
    }
}
