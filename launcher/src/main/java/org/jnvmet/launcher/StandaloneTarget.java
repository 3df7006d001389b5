package org.jnvmet.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jnvmet.accounting.internal.AccountingJmxExporter;
import org.jnvmet.accounting.internal.AccountingServiceImpl;
import org.jnvmet.backend.ns.internal.BlockDeviceBackendFactory;
import org.jnvmet.backend.ns.internal.FileBackendFactory;
import org.jnvmet.backend.ns.internal.RamBackendFactory;
import org.jnvmet.core.NvmetCore;
import org.jnvmet.model.internal.ModelStoreImpl;
import org.jnvmet.transport.loop.LoopbackTransport;
import org.jnvmet.transport.tcp.NvmeTcpTransport;
import org.jnvmet.transport.tcp.TcpTransportOptions;
import io.netty.buffer.PooledByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the target in a plain JVM: the same components the OSGi runtime wires through Declarative Services,
 * constructed directly. {@code --config FILE} loads an nvmetcli-format JSON file and watches it; without it the
 * embedded default (NVMe/TCP on 127.0.0.1:4420 and 8009, a RAM namespace subsystem, an emulated NVMe controller
 * exported through passthru) is applied in memory.
 */
public final class StandaloneTarget implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneTarget.class);
    static final String DEFAULT_CONFIG = "default-config.json";

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final NvmetCore core;
    private final ModelStoreImpl model;

    public StandaloneTarget(Path configFile) throws IOException {
        AccountingServiceImpl accounting = new AccountingServiceImpl();
        core = new NvmetCore();
        closeables.add(core);
        core.setIoAccounting(accounting);
        closeables.add(new AccountingJmxExporter(accounting));

        NvmeTcpTransport tcp = new NvmeTcpTransport(TcpTransportOptions.defaults(), PooledByteBufAllocator.DEFAULT);
        closeables.add(tcp::close);
        core.addTransport(tcp);
        core.addTransport(new LoopbackTransport());

        RamBackendFactory ram = new RamBackendFactory();
        FileBackendFactory file = new FileBackendFactory();
        BlockDeviceBackendFactory bdev = new BlockDeviceBackendFactory();
        closeables.add(ram::close);
        closeables.add(file::close);
        closeables.add(bdev::close);
        core.addBackendFactory(ram);
        core.addBackendFactory(file);
        core.addBackendFactory(bdev);
        PassthruDevices.register(core);

        // Lenient NQN syntax: the Linux target (and so nvmetcli files) accepts names such as "testnqn".
        ModelStoreImpl.Options options = configFile == null
                ? new ModelStoreImpl.Options(null, false, 1000, false)
                : new ModelStoreImpl.Options(configFile, true, 1000, false);
        model = new ModelStoreImpl(core, options);
        model.start();
        if (configFile == null) {
            model.importJson(defaultConfig());
        } else if (model.fileError().isPresent()) {
            model.close();
            throw new IOException(model.fileError().get());
        }
        closeables.add(model);
    }

    public NvmetCore core() {
        return core;
    }

    public ModelStoreImpl model() {
        return model;
    }

    static String defaultConfig() throws IOException {
        try (InputStream in = StandaloneTarget.class.getResourceAsStream(DEFAULT_CONFIG)) {
            if (in == null) {
                throw new IOException("missing resource " + DEFAULT_CONFIG);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                LOG.warn("shutdown: {}", e.toString());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        usage("--config needs a FILE");
                    }
                    config = Path.of(args[++i]).toAbsolutePath();
                    if (!Files.isRegularFile(config)) {
                        usage("no such file: " + config);
                    }
                }
                case "-h", "--help" -> usage(null);
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        StandaloneTarget target;
        try {
            target = new StandaloneTarget(config);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("jnvmet: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            target.close();
            stopped.countDown();
        }, "jnvmet-shutdown"));
        target.core().portStatus().forEach(p -> LOG.info("port {} {} {}:{} {}", p.portId(), p.trtype(), p.traddr(),
                p.trsvcid(), p.listening() ? "listening" : "not listening: " + p.reason()));
        System.out.println("jnvmet: target running; Ctrl-C stops it");
        stopped.await();
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println("jnvmet: " + error);
        }
        System.err.println("usage: jnvmet-standalone [--config FILE]");
        System.exit(error == null ? 0 : 2);
    }
}
