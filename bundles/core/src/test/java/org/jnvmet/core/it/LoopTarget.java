package org.jnvmet.core.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.jnvmet.api.NamespaceSpec;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.backend.ns.internal.FileBackendFactory;
import org.jnvmet.backend.ns.internal.RamBackendFactory;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.HostController;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.testing.LeakWatch;
import org.jnvmet.transport.loop.LoopHostTransport;
import org.jnvmet.transport.loop.LoopbackTransport;

/**
 * The whole stack in one JVM, wired in plain Java as a standalone launcher would: {@link NvmetCore} with the
 * loopback transport and the RAM and file backends, subsystem {@link #NQN} with a RAM namespace (nsid 1) and a
 * file namespace (nsid 2) on loop port {@link #PORT}, and a Java host reaching it through the loop.
 */
final class LoopTarget implements AutoCloseable {
    static final String NQN = "nqn.2024-01.org.jnvmet:it-subsystem";
    static final int PORT = 1;
    static final int RAM_NSID = 1;
    static final int FILE_NSID = 2;
    static final String SERIAL = "JNVMET-IT-0001";
    static final String MODEL = "jnvmet end-to-end";
    static final String FIRMWARE = "9.8.7";
    static final int IEEE_OUI = 0x123456;
    static final UUID RAM_UUID = UUID.fromString("6e1a3a49-3d15-4c1e-9a6f-0a0b0c0d0e0f");
    static final String RAM_NGUID = "00112233445566778899aabbccddeeff";
    static final UUID FILE_UUID = UUID.fromString("1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f0");
    static final String FILE_NGUID = "ffeeddccbbaa99887766554433221100";

    final NvmetCore core = new NvmetCore();
    final LoopbackTransport loop = new LoopbackTransport();
    final RamBackendFactory ram = new RamBackendFactory(512L << 20);
    final FileBackendFactory files = new FileBackendFactory(2, 256);
    final NvmeHost host = NvmeHost.random();
    final long ramBytes;
    final long fileBytes;
    final Path file;

    LoopTarget(Path dir, long ramBytes, long fileBytes) {
        this(dir, ramBytes, fileBytes, subsystem(true, List.of()));
    }

    LoopTarget(Path dir, long ramBytes, long fileBytes, SubsystemSpec subsystem) {
        LeakWatch.install();
        this.ramBytes = ramBytes;
        this.fileBytes = fileBytes;
        this.file = dir.resolve("ns2.img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(fileBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        core.addTransport(loop);
        core.addBackendFactory(ram);
        core.addBackendFactory(files);
        core.putSubsystem(subsystem);
        core.putNamespace(NQN, new NamespaceSpec(RAM_NSID, "ram:" + ramBytes, RAM_UUID, RAM_NGUID, 1, true, false,
                512));
        core.putNamespace(NQN, new NamespaceSpec(FILE_NSID, file.toString(), FILE_UUID, FILE_NGUID, 1, true, true,
                512));
        core.putPort(PortSpec.loop(PORT, List.of(NQN)));
    }

    /** The subsystem under test: fixed identity, version 1.3. */
    static SubsystemSpec subsystem(boolean allowAnyHost, List<String> hosts) {
        return new SubsystemSpec(NQN, allowAnyHost, "1.3", SERIAL, MODEL, FIRMWARE, IEEE_OUI,
                SubsystemSpec.DEFAULT_CNTLID_MIN, SubsystemSpec.DEFAULT_CNTLID_MAX, SubsystemSpec.DEFAULT_QID_MAX,
                hosts);
    }

    LoopHostTransport transport() throws IOException {
        return LoopHostTransport.connect(loop, PORT);
    }

    ConnectOptions options() {
        return ConnectOptions.of(NQN);
    }

    HostController connect(ConnectOptions options) throws IOException {
        return host.connect(transport(), options);
    }

    @Override
    public void close() {
        host.close();
        core.close();
        files.close();
        ram.close();
    }
}
