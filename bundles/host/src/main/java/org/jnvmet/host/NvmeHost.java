package org.jnvmet.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.jnvmet.host.internal.ControllerImpl;
import org.jnvmet.host.internal.DiscoveryReader;
import org.jnvmet.host.internal.QueueChannel;
import org.jnvmet.host.spi.HostTransport;

/**
 * A host identity (Host NQN and Host Identifier, as in {@code /etc/nvme/hostnqn} and {@code hostid}) and the entry
 * point of the host library. Thread-safe. Closing it stops the keep-alive timer thread its controllers share.
 */
public final class NvmeHost implements AutoCloseable {
    /** The NVMe discovery subsystem NQN. */
    public static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";
    private static final int NQN_MAX_LENGTH = 223;

    private final String hostNqn;
    private final UUID hostId;
    private volatile ScheduledExecutorService timer;

    public NvmeHost(String hostNqn, UUID hostId) {
        this.hostNqn = Objects.requireNonNull(hostNqn, "hostNqn");
        this.hostId = Objects.requireNonNull(hostId, "hostId");
        if (hostNqn.isEmpty() || hostNqn.getBytes(StandardCharsets.UTF_8).length > NQN_MAX_LENGTH) {
            throw new IllegalArgumentException("host NQN must be 1.." + NQN_MAX_LENGTH + " bytes: " + hostNqn);
        }
    }

    /** A host with a random UUID and the UUID-based NQN nvme-cli generates ({@code nqn.2014-08.org.nvmexpress:uuid:...}). */
    public static NvmeHost random() {
        UUID id = UUID.randomUUID();
        return new NvmeHost("nqn.2014-08.org.nvmexpress:uuid:" + id, id);
    }

    public String hostNqn() {
        return hostNqn;
    }

    public UUID hostId() {
        return hostId;
    }

    /**
     * Connects and brings the controller up as the Linux host does: admin Connect, Property Get CAP and VS, CC
     * enable and CSTS.RDY, Identify Controller, Set Features Number of Queues, one Connect per I/O queue, and
     * keep-alives if the options ask for them.
     */
    public HostController connect(HostTransport transport, ConnectOptions options) throws IOException {
        ControllerImpl controller = ControllerImpl.connectAdmin(this, this::timer, transport, options);
        try {
            controller.bringUp();
            return controller;
        } catch (IOException | RuntimeException e) {
            controller.abort();
            throw e;
        }
    }

    /** Connects the admin queue only and reads CAP and VS; the controller is not enabled. */
    public HostController connectAdmin(HostTransport transport, ConnectOptions options) throws IOException {
        return ControllerImpl.connectAdmin(this, this::timer, transport, options);
    }

    /**
     * Reads the discovery log page of the discovery controller behind {@code transport} the way nvme-cli does:
     * header, then the whole log, then the header again, retrying while the generation counter changes.
     */
    public DiscoveryLog discover(HostTransport transport) throws IOException {
        return discover(transport, DISCOVERY_NQN);
    }

    /** {@link #discover(HostTransport)} from a discovery subsystem with another NQN (a unique discovery NQN). */
    public DiscoveryLog discover(HostTransport transport, String discoveryNqn) throws IOException {
        return DiscoveryReader.discover(this, transport, ConnectOptions.of(discoveryNqn).withKato(0, false)
                .withIoQueues(0, ConnectOptions.DEFAULT_IO_QUEUE_SIZE));
    }

    /**
     * Opens a queue channel and sends nothing on it, not even a Fabrics Connect: for tests that send their own
     * (possibly malformed) Connect through {@link CommandQueue#submit}. Commands wait at most 30 s.
     */
    public CommandQueue openUnconnectedQueue(HostTransport transport, int qid, int size) throws IOException {
        return new QueueChannel(transport.openQueue(qid, size), qid, size, Duration.ofSeconds(30));
    }

    /** The timer thread the keep-alives of this host's controllers share, started on first use. */
    private ScheduledExecutorService timer() {
        ScheduledExecutorService t = timer;
        if (t == null) {
            synchronized (this) {
                t = timer;
                if (t == null) {
                    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                        Thread thread = new Thread(r, "nvme-host-keepalive");
                        thread.setDaemon(true);
                        return thread;
                    });
                    executor.setRemoveOnCancelPolicy(true);
                    timer = t = Executors.unconfigurableScheduledExecutorService(executor);
                }
            }
        }
        return t;
    }

    @Override
    public void close() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "NvmeHost[" + hostNqn + ", " + hostId + "]";
    }
}
