package org.jnvmet.host;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A controller the host is connected to: its admin queue and I/O queues. Obtained from
 * {@link NvmeHost#connect} (fully brought up) or {@link NvmeHost#connectAdmin} (admin queue connected only, for
 * tests that drive each step). Synchronous methods throw {@link NvmeStatusException} for error completions and
 * {@link IOException} for channel failures and timeouts.
 */
public interface HostController extends AutoCloseable {

    /** Controller ID the target assigned in the admin Connect response. */
    int cntlid();

    ConnectOptions options();

    /** CAP as read after connecting. */
    long capabilities();

    /** VS as read after connecting. */
    int version();

    // ---------------------------------------------------------------- properties

    /** Property Get of a 4- or 8-byte controller property. */
    long getProperty(int offset, boolean eightBytes) throws IOException;

    void setProperty(int offset, long value, boolean eightBytes) throws IOException;

    /** Writes CC with EN, NVM command set, IOSQES 6, IOCQES 4 and waits for CSTS.RDY (at most CAP.TO). */
    void enable() throws IOException;

    /** Writes CC.SHN = normal and waits for CSTS.SHST = complete. The controller stays connected. */
    void shutdown() throws IOException;

    // ---------------------------------------------------------------- admin commands

    IdentifyControllerData identifyController() throws IOException;

    /** Identify Namespace; the all-zero structure for an inactive NSID. */
    IdentifyNamespaceData identifyNamespace(int nsid) throws IOException;

    /** Active namespace IDs greater than {@code startAfter} (Identify CNS 02h), at most 1024. */
    int[] activeNamespaces(int startAfter) throws IOException;

    /** Namespace identification descriptors (Identify CNS 03h). */
    List<NamespaceIdentifier> namespaceIdentifiers(int nsid) throws IOException;

    /** Identifies an active namespace for I/O; fails if it is not active. */
    HostNamespace namespace(int nsid) throws IOException;

    /** Get Log Page of {@code length} bytes (a multiple of 4) at byte {@code offset}. */
    byte[] getLogPage(int lid, int nsid, int length, long offset, boolean retainAsyncEvent) throws IOException;

    SmartHealthInfo smartLog(int nsid) throws IOException;

    /** The Error Information log, {@code entries} entries of 64 bytes. */
    List<ErrorLogEntry> errorLog(int entries) throws IOException;

    /** The Changed Namespace List log (reading it clears it, and re-arms the namespace attribute event). */
    int[] changedNamespaces() throws IOException;

    /** Get Features; returns CQE DW0. */
    int getFeature(int fid, int cdw11) throws IOException;

    /** Set Features; returns CQE DW0. */
    int setFeature(int fid, int cdw11) throws IOException;

    /**
     * Set Features Number of Queues asking for {@code count} submission and completion queues; returns how many
     * I/O queue pairs the controller allocated (the lesser of NSQA and NCQA, 1's based).
     */
    int setNumberOfQueues(int count) throws IOException;

    /**
     * Submits an Asynchronous Event Request; the future completes when the controller reports an event, on a
     * thread of the common pool (so its dependents may call this controller synchronously).
     */
    CompletableFuture<AsyncEvent> asyncEventRequest();

    /** Sends one Keep Alive and waits for its completion. */
    void keepAlive() throws IOException;

    /** Starts sending Keep Alive every KATO/2 (no-op without a KATO). */
    void startKeepAlive();

    void stopKeepAlive();

    // ---------------------------------------------------------------- queues

    CommandQueue adminQueue();

    /** Connects {@code count} I/O queues of {@code size} entries with qids 1..count, each on its own channel. */
    List<HostIoQueue> createIoQueues(int count, int size) throws IOException;

    List<HostIoQueue> ioQueues();

    /** I/O queue with qid {@code index + 1}. */
    HostIoQueue ioQueue(int index);

    /** True while the admin channel is open. */
    boolean isConnected();

    /**
     * Drops every channel and connects again with the same options: a new admin Connect (new controller ID),
     * enable, Identify, Number of Queues and as many I/O queues as before; keep-alives resume if they were on.
     */
    void reconnect() throws IOException;

    /** Shuts the controller down (CC.SHN) if it is enabled and reachable, then closes every channel. */
    @Override
    void close();
}
