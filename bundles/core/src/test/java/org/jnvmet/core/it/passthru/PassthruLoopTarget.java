package org.jnvmet.core.it.passthru;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jnvmet.api.PortSpec;
import org.jnvmet.api.SubsystemSpec;
import org.jnvmet.backend.passthru.EmulatedNvmeDeviceFactory;
import org.jnvmet.backend.passthru.emulated.EmulatedDeviceRegistry;
import org.jnvmet.backend.passthru.emulated.EmulatedNvmeController;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.HostController;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.spi.passthru.DeviceResult;
import org.jnvmet.spi.passthru.NvmeDevice;
import org.jnvmet.spi.passthru.PassthruSpec;
import org.jnvmet.testing.LeakWatch;
import org.jnvmet.transport.loop.LoopHostTransport;
import org.jnvmet.transport.loop.LoopbackTransport;

/**
 * The whole stack in one JVM, wired in plain Java as a standalone launcher would: {@link NvmetCore} with the loopback
 * transport and the emulated passthru device factory, subsystem {@link #NQN} exporting the emulated controller
 * {@code emulated:<name>} (the registry's default controller: namespaces 1 (64 MiB, 512 B blocks), 2 (64 MiB,
 * 4 KiB) and 3 (16 MiB, 512 B, with metadata formats listed); 512 KiB transfers), loop port {@link #PORT}, a
 * counting accounting service and a Java host.
 */
final class PassthruLoopTarget implements AutoCloseable {
    static final String NQN = "nqn.2024-01.org.jnvmet:passthru-it";
    static final int PORT = 1;

    final String name;
    final String devicePath;
    final EmulatedDeviceRegistry registry = new EmulatedDeviceRegistry();
    final EmulatedNvmeDeviceFactory factory = new EmulatedNvmeDeviceFactory(registry);
    final NvmetCore core = new NvmetCore();
    final LoopbackTransport loop = new LoopbackTransport();
    final CountingAccounting accounting = new CountingAccounting();
    final NvmeHost host = NvmeHost.random();

    PassthruLoopTarget(String name) {
        this(name, PassthruSpec.of("emulated:" + name));
    }

    PassthruLoopTarget(String name, PassthruSpec spec) {
        LeakWatch.install();
        this.name = name;
        this.devicePath = spec.devicePath();
        core.addTransport(loop);
        core.setIoAccounting(accounting);
        core.addDeviceFactory(factory);
        core.putSubsystem(SubsystemSpec.of(NQN));
        core.putPassthru(NQN, spec);
        core.putPort(PortSpec.loop(PORT, List.of(NQN)));
    }

    /** The emulated controller the target opened. */
    EmulatedNvmeController device() {
        return registry.get(name).orElseThrow(() -> new AssertionError("no emulated controller " + name));
    }

    LoopHostTransport transport() throws IOException {
        return LoopHostTransport.connect(loop, PORT);
    }

    ConnectOptions options() {
        return ConnectOptions.of(NQN);
    }

    HostController connect() throws IOException {
        return host.connect(transport(), options());
    }

    HostController connect(ConnectOptions options) throws IOException {
        return host.connect(transport(), options);
    }

    /** The accounting device name of a namespace of the emulated controller. */
    String accountingName(int nsid) {
        return "emulated-" + name + "-n" + nsid;
    }

    /** Sends {@code sqe} straight to the controller (not through the target): what the device itself answers. */
    DeviceResult direct(boolean admin, ByteBuf sqe, ByteBuf data, int length) throws Exception {
        try (NvmeDevice d = device().open("emulated:" + name)) {
            return (admin ? d.submitAdmin(sqe, data, length, 0) : d.submitIo(sqe, data, length, 0))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    /** The controller's own Identify data (CNS {@code cns}) for {@code nsid}. */
    ByteBuf directIdentify(int cns, int nsid) throws Exception {
        ByteBuf sqe = Unpooled.buffer(64).writeZero(64);
        org.jnvmet.protocol.nvme.IdentifyCommand.set(sqe, cns, nsid, 0);
        ByteBuf data = Unpooled.buffer(4096, 4096);
        DeviceResult r = direct(true, sqe, data, 4096);
        if (r.status() != 0) {
            throw new AssertionError("device Identify CNS " + cns + " failed: " + r);
        }
        return data;
    }

    @Override
    public void close() {
        host.close();
        core.close();
        registry.clear();
    }
}
