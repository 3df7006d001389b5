package org.jnvmet.host.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jnvmet.host.AsyncEvent;
import org.jnvmet.host.CommandQueue;
import org.jnvmet.host.Commands;
import org.jnvmet.host.Completion;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.ErrorLogEntry;
import org.jnvmet.host.HostController;
import org.jnvmet.host.HostIoQueue;
import org.jnvmet.host.HostNamespace;
import org.jnvmet.host.IdentifyControllerData;
import org.jnvmet.host.IdentifyNamespaceData;
import org.jnvmet.host.NamespaceIdentifier;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.host.NvmeStatusException;
import org.jnvmet.host.SmartHealthInfo;
import org.jnvmet.host.spi.HostTransport;
import org.jnvmet.protocol.fabrics.ConnectCommand;
import org.jnvmet.protocol.fabrics.ConnectData;
import org.jnvmet.protocol.nvme.ChangedNamespaceListLog;
import org.jnvmet.protocol.nvme.ControllerRegisters;
import org.jnvmet.protocol.nvme.ErrorInformationLogEntry;
import org.jnvmet.protocol.nvme.FeatureId;
import org.jnvmet.protocol.nvme.FeaturesCommand;
import org.jnvmet.protocol.nvme.IdentifyCns;
import org.jnvmet.protocol.nvme.LogPageId;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;
import org.jnvmet.protocol.nvme.NamespaceIdList;
import org.jnvmet.protocol.nvme.SmartHealthLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The host's view of one controller: admin queue, I/O queues, keep-alive, lifecycle. */
public final class ControllerImpl implements HostController {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerImpl.class);
    /** Host-side bound on one Get Log Page transfer. */
    static final int MAX_LOG_PAGE_BYTES = 16 << 20;
    /** Shutdown wait when the controller reports no RTD3 entry latency (Linux: shutdown_timeout 5 s). */
    private static final long DEFAULT_SHUTDOWN_MILLIS = 5000;

    private final NvmeHost host;
    private final HostTransport transport;
    private final ConnectOptions options;
    private final KeepAlive keepAlive;
    private final Object lifecycle = new Object();

    private volatile QueueChannel admin;
    private volatile List<HostIoQueue> ioQueues = List.of();
    /** What the host asked for last, kept across failed reconnect attempts (which drop the queues). */
    private int requestedIoQueues;
    private int requestedIoQueueSize;
    private volatile int cntlid;
    private volatile long cap;
    private volatile int vs;
    private volatile boolean enabled;
    private volatile IdentifyControllerData identify;

    private ControllerImpl(NvmeHost host, Supplier<ScheduledExecutorService> timer, HostTransport transport,
            ConnectOptions options) {
        this.host = host;
        this.transport = transport;
        this.options = options;
        this.keepAlive = new KeepAlive(this, timer);
    }

    /**
     * Opens the admin channel, sends the admin Connect and reads CAP and VS.
     *
     * @param timer  where keep-alives are scheduled (asked for only when they start)
     */
    public static ControllerImpl connectAdmin(NvmeHost host, Supplier<ScheduledExecutorService> timer,
            HostTransport transport, ConnectOptions options) throws IOException {
        ControllerImpl controller = new ControllerImpl(host, timer, transport, options);
        controller.connectAdminQueue();
        return controller;
    }

    private void connectAdminQueue() throws IOException {
        int size = options.adminQueueSize();
        QueueChannel queue = new QueueChannel(transport.openQueue(0, size), 0, size, options.commandTimeout());
        try {
            Completion c = connect(queue, 0, size, options.katoMillis(), ConnectData.CNTLID_DYNAMIC);
            cntlid = c.dw0() & 0xFFFF;
            admin = queue;
            enabled = false;
            cap = getProperty(ControllerRegisters.CAP, true);
            vs = (int) getProperty(ControllerRegisters.VS, false);
        } catch (IOException | RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    private Completion connect(QueueChannel queue, int qid, int size, int katoMillis, int controllerId)
            throws IOException {
        int cattr = options.disableSqFlow() ? ConnectCommand.CATTR_DISABLE_SQ_FLOW : 0;
        ByteBuf sqe = Commands.connect(qid, size - 1, cattr, katoMillis);
        ByteBuf data = Commands.connectData(host.hostId(), controllerId, options.subsystemNqn(), host.hostNqn());
        Completion c = queue.execute(sqe, data, null);
        if (!c.isSuccess()) {
            throw new NvmeStatusException("Connect (qid " + qid + ", " + options.subsystemNqn() + ")", c.status(),
                    c.result());
        }
        return c;
    }

    /** The rest of the Linux host's bring-up after the admin Connect. */
    public void bringUp() throws IOException {
        enable();
        identify = identifyController();
        if (options.ioQueues() > 0) {
            createIoQueues(options.ioQueues(), options.ioQueueSize());
        }
        if (options.keepAlive()) {
            startKeepAlive();
        }
    }

    @Override
    public int cntlid() {
        return cntlid;
    }

    @Override
    public ConnectOptions options() {
        return options;
    }

    @Override
    public long capabilities() {
        return cap;
    }

    @Override
    public int version() {
        return vs;
    }

    // ---------------------------------------------------------------- properties

    @Override
    public long getProperty(int offset, boolean eightBytes) throws IOException {
        Completion c = call("Property Get 0x" + Integer.toHexString(offset),
                Commands.propertyGet(offset, eightBytes), null, null);
        return eightBytes ? c.result() : c.result() & 0xFFFFFFFFL;
    }

    @Override
    public void setProperty(int offset, long value, boolean eightBytes) throws IOException {
        call("Property Set 0x" + Integer.toHexString(offset), Commands.propertySet(offset, value, eightBytes), null,
                null);
    }

    @Override
    public void enable() throws IOException {
        setProperty(ControllerRegisters.CC, ControllerRegisters.ccEnableNvm() & 0xFFFFFFFFL, false);
        // CAP.TO: worst case time to become ready, in 500 ms units
        long timeoutMillis = Math.max(1, ControllerRegisters.capTimeout(cap)) * 500L;
        waitForStatus(ControllerRegisters.CSTS_RDY, ControllerRegisters.CSTS_RDY, timeoutMillis, "CSTS.RDY");
        enabled = true;
    }

    @Override
    public void shutdown() throws IOException {
        keepAlive.stop();
        int cc = (int) getProperty(ControllerRegisters.CC, false);
        cc &= ~(ControllerRegisters.CC_SHN_MASK << ControllerRegisters.CC_SHN_SHIFT);
        cc |= ControllerRegisters.CC_SHN_NORMAL << ControllerRegisters.CC_SHN_SHIFT;
        setProperty(ControllerRegisters.CC, cc & 0xFFFFFFFFL, false);
        IdentifyControllerData id = identify;
        long rtd3eMillis = id == null ? 0 : id.rtd3e() / 1000;
        waitForStatus(ControllerRegisters.CSTS_SHST_MASK, ControllerRegisters.CSTS_SHST_COMPLETE,
                Math.max(DEFAULT_SHUTDOWN_MILLIS, rtd3eMillis), "CSTS.SHST complete");
        enabled = false;
    }

    private void waitForStatus(int mask, int value, long timeoutMillis, String what) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long sleep = 1;
        for (;;) {
            int csts = (int) getProperty(ControllerRegisters.CSTS, false);
            if ((csts & ControllerRegisters.CSTS_CFS) != 0) {
                throw new IOException("controller fatal status waiting for " + what + ": CSTS=0x"
                        + Integer.toHexString(csts));
            }
            if ((csts & mask) == value) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("no " + what + " within " + timeoutMillis + " ms: CSTS=0x"
                        + Integer.toHexString(csts));
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted waiting for " + what);
            }
            sleep = Math.min(sleep * 2, 50);
        }
    }

    // ---------------------------------------------------------------- admin commands

    @Override
    public IdentifyControllerData identifyController() throws IOException {
        ByteBuf data = identifyData(IdentifyCns.CONTROLLER, 0);
        IdentifyControllerData id = IdentifyControllerData.parse(data);
        identify = id;
        return id;
    }

    @Override
    public IdentifyNamespaceData identifyNamespace(int nsid) throws IOException {
        return IdentifyNamespaceData.parse(identifyData(IdentifyCns.NAMESPACE, nsid));
    }

    @Override
    public int[] activeNamespaces(int startAfter) throws IOException {
        ByteBuf list = identifyData(IdentifyCns.ACTIVE_NAMESPACE_LIST, startAfter);
        int[] ids = new int[NamespaceIdList.count(list)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = NamespaceIdList.get(list, i);
        }
        return ids;
    }

    @Override
    public List<NamespaceIdentifier> namespaceIdentifiers(int nsid) throws IOException {
        ByteBuf list = identifyData(IdentifyCns.NAMESPACE_ID_DESCRIPTOR_LIST, nsid);
        List<NamespaceIdentifier> out = new ArrayList<>();
        int off = 0;
        while (off + NamespaceIdDescriptor.HEADER_SIZE <= NamespaceIdDescriptor.LIST_SIZE) {
            int type = list.getUnsignedByte(off + NamespaceIdDescriptor.NIDT);
            int length = list.getUnsignedByte(off + NamespaceIdDescriptor.NIDL);
            if (length == 0) {
                break;
            }
            int end = off + NamespaceIdDescriptor.NID + length;
            if (end > NamespaceIdDescriptor.LIST_SIZE) {
                throw new IOException("namespace descriptor at byte " + off + " overruns the list");
            }
            byte[] nid = new byte[length];
            list.getBytes(off + NamespaceIdDescriptor.NID, nid);
            out.add(new NamespaceIdentifier(type, nid));
            off = end;
        }
        return out;
    }

    private ByteBuf identifyData(int cns, int nsid) throws IOException {
        ByteBuf data = Unpooled.buffer(IdentifyCns.DATA_SIZE, IdentifyCns.DATA_SIZE);
        call("Identify CNS " + cns + " nsid " + nsid, Commands.identify(cns, nsid), null, data);
        if (data.readableBytes() != IdentifyCns.DATA_SIZE) {
            throw new IOException("Identify CNS " + cns + " returned " + data.readableBytes() + " bytes");
        }
        return data;
    }

    @Override
    public HostNamespace namespace(int nsid) throws IOException {
        IdentifyNamespaceData id = identifyNamespace(nsid);
        if (!id.isActive()) {
            throw new IOException("namespace " + nsid + " is not active");
        }
        return new HostNamespace(nsid, id);
    }

    @Override
    public byte[] getLogPage(int lid, int nsid, int length, long offset, boolean retainAsyncEvent)
            throws IOException {
        if (length < 4 || length % 4 != 0 || length > MAX_LOG_PAGE_BYTES) {
            throw new IllegalArgumentException("log page length " + length);
        }
        ByteBuf data = Unpooled.buffer(length, length);
        call("Get Log Page 0x" + Integer.toHexString(lid),
                Commands.getLogPage(lid, nsid, length, offset, retainAsyncEvent), null, data);
        byte[] out = new byte[data.readableBytes()];
        data.readBytes(out);
        return out;
    }

    @Override
    public SmartHealthInfo smartLog(int nsid) throws IOException {
        byte[] log = getLogPage(LogPageId.SMART_HEALTH, nsid, SmartHealthLog.SIZE, 0, false);
        return SmartHealthInfo.parse(Unpooled.wrappedBuffer(log));
    }

    @Override
    public List<ErrorLogEntry> errorLog(int entries) throws IOException {
        byte[] log = getLogPage(LogPageId.ERROR_INFORMATION, 0, entries * ErrorInformationLogEntry.SIZE, 0, false);
        ByteBuf buf = Unpooled.wrappedBuffer(log);
        List<ErrorLogEntry> out = new ArrayList<>(entries);
        for (int off = 0; off + ErrorInformationLogEntry.SIZE <= log.length; off += ErrorInformationLogEntry.SIZE) {
            out.add(ErrorLogEntry.parse(buf, off));
        }
        return out;
    }

    @Override
    public int[] changedNamespaces() throws IOException {
        byte[] log = getLogPage(LogPageId.CHANGED_NAMESPACE_LIST, 0, ChangedNamespaceListLog.SIZE, 0, false);
        ByteBuf buf = Unpooled.wrappedBuffer(log);
        return listOf(buf);
    }

    private static int[] listOf(ByteBuf list) {
        int n = NamespaceIdList.count(list);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = NamespaceIdList.get(list, i);
        }
        return ids;
    }

    @Override
    public int getFeature(int fid, int cdw11) throws IOException {
        return call("Get Features 0x" + Integer.toHexString(fid), Commands.getFeatures(fid, cdw11), null, null)
                .dw0();
    }

    @Override
    public int setFeature(int fid, int cdw11) throws IOException {
        return call("Set Features 0x" + Integer.toHexString(fid), Commands.setFeatures(fid, cdw11), null, null)
                .dw0();
    }

    @Override
    public int setNumberOfQueues(int count) throws IOException {
        if (count < 1 || count > 0xFFFF) {
            throw new IllegalArgumentException("queue count " + count);
        }
        int zeroBased = count - 1;
        int result = setFeature(FeatureId.NUMBER_OF_QUEUES,
                zeroBased | zeroBased << FeaturesCommand.NUMBER_OF_QUEUES_NCQR_SHIFT);
        int nsqa = result & 0xFFFF;
        int ncqa = result >>> FeaturesCommand.NUMBER_OF_QUEUES_NCQR_SHIFT;
        return Math.min(nsqa, ncqa) + 1;
    }

    @Override
    public CompletableFuture<AsyncEvent> asyncEventRequest() {
        // Completed off the transport's thread: hosts react to an event with admin commands (Get Log Page), and
        // waiting for those on the thread that must deliver their completions would never end.
        return adminQueueOrFail().submit(Commands.asyncEventRequest(), null, null).thenComposeAsync(c -> {
            if (!c.isSuccess()) {
                return CompletableFuture.failedFuture(
                        new NvmeStatusException("Asynchronous Event Request", c.status(), c.result()));
            }
            return CompletableFuture.completedFuture(AsyncEvent.fromResult(c.dw0()));
        });
    }

    @Override
    public void keepAlive() throws IOException {
        call("Keep Alive", Commands.keepAlive(), null, null);
    }

    @Override
    public void startKeepAlive() {
        keepAlive.start(options.katoMillis());
    }

    @Override
    public void stopKeepAlive() {
        keepAlive.stop();
    }

    /** Runs an admin command and fails on an error status. */
    private Completion call(String what, ByteBuf sqe, ByteBuf out, ByteBuf in) throws IOException {
        Completion c = adminQueueOrFail().execute(sqe, out, in);
        if (!c.isSuccess()) {
            throw new NvmeStatusException(what, c.status(), c.result());
        }
        return c;
    }

    private QueueChannel adminQueueOrFail() {
        QueueChannel q = admin;
        if (q == null) {
            throw new IllegalStateException("not connected");
        }
        return q;
    }

    /** The admin channel for the keep-alive sender; null when not connected. */
    QueueChannel adminChannel() {
        return admin;
    }

    // ---------------------------------------------------------------- queues

    @Override
    public CommandQueue adminQueue() {
        return adminQueueOrFail();
    }

    @Override
    public List<HostIoQueue> createIoQueues(int count, int size) throws IOException {
        synchronized (lifecycle) {
            if (!ioQueues.isEmpty()) {
                throw new IllegalStateException(ioQueues.size() + " I/O queues exist already");
            }
            requestedIoQueues = count;
            requestedIoQueueSize = size;
            int granted = setNumberOfQueues(count);
            int n = Math.min(count, granted);
            List<HostIoQueue> created = new ArrayList<>(n);
            try {
                for (int qid = 1; qid <= n; qid++) {
                    IoQueueImpl queue = new IoQueueImpl(transport.openQueue(qid, size), qid, size,
                            options.commandTimeout());
                    created.add(queue);
                    connect(queue, qid, size, 0, cntlid);
                }
            } catch (IOException | RuntimeException e) {
                created.forEach(HostIoQueue::close);
                throw e;
            }
            ioQueues = List.copyOf(created);
            return ioQueues;
        }
    }

    @Override
    public List<HostIoQueue> ioQueues() {
        return ioQueues;
    }

    @Override
    public HostIoQueue ioQueue(int index) {
        return ioQueues.get(index);
    }

    @Override
    public boolean isConnected() {
        QueueChannel q = admin;
        return q != null && q.isOpen();
    }

    @Override
    public void reconnect() throws IOException {
        synchronized (lifecycle) {
            boolean keepAlives = keepAlive.isRunning();
            int count = requestedIoQueues;
            int size = requestedIoQueueSize;
            keepAlive.stop();
            closeChannels();
            connectAdminQueue();
            enable();
            identify = identifyController();
            if (count > 0) {
                createIoQueues(count, size);
            }
            if (keepAlives) {
                startKeepAlive();
            }
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            keepAlive.stop();
            if (enabled && isConnected()) {
                try {
                    shutdown();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("shutdown of controller {} failed", cntlid, e);
                }
            }
            closeChannels();
        }
    }

    /** Drops every channel without talking to the controller (bring-up failed). */
    public void abort() {
        synchronized (lifecycle) {
            keepAlive.stop();
            closeChannels();
        }
    }

    private void closeChannels() {
        for (HostIoQueue q : ioQueues) {
            q.close();
        }
        ioQueues = List.of();
        QueueChannel q = admin;
        if (q != null) {
            q.close();
        }
        admin = null;
        enabled = false;
    }

    @Override
    public String toString() {
        return "controller " + cntlid + " of " + options.subsystemNqn() + " via " + transport;
    }
}
