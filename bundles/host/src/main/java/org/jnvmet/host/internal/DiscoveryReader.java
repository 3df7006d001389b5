package org.jnvmet.host.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jnvmet.host.ConnectOptions;
import org.jnvmet.host.DiscoveryLog;
import org.jnvmet.host.DiscoveryLogEntry;
import org.jnvmet.host.NvmeHost;
import org.jnvmet.host.spi.HostTransport;
import org.jnvmet.protocol.fabrics.DiscoveryLogPage;
import org.jnvmet.protocol.nvme.LogPageId;

/**
 * Reads the Discovery Log Page as nvme-cli/libnvme does: the 1024-byte header for NUMREC and GENCTR, the whole
 * log, then the header again; if GENCTR moved, the log changed while being read and it starts over.
 */
public final class DiscoveryReader {
    /** Attempts before giving up on a log that keeps changing (libnvme's default retries). */
    static final int MAX_ATTEMPTS = 10;
    /** Bound on NUMREC from the wire: 1024 records are 1 MiB of log. */
    static final int MAX_RECORDS = 1024;

    private DiscoveryReader() {
    }

    public static DiscoveryLog discover(NvmeHost host, HostTransport transport, ConnectOptions options)
            throws IOException {
        // a one-shot discovery sends no keep-alives (KATO 0: the target applies its own discovery timeout)
        ControllerImpl controller = ControllerImpl.connectAdmin(host, () -> {
            throw new IllegalStateException("no keep-alives on a one-shot discovery");
        }, transport, options);
        try {
            controller.enable();
            DiscoveryLog log = read(controller);
            controller.close();
            return log;
        } catch (IOException | RuntimeException e) {
            controller.abort();
            throw e;
        }
    }

    /** Reads a consistent discovery log from a connected, enabled discovery controller. */
    public static DiscoveryLog read(ControllerImpl controller) throws IOException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            ByteBuf header = Unpooled.wrappedBuffer(controller.getLogPage(LogPageId.DISCOVERY, 0,
                    DiscoveryLogPage.HEADER_SIZE, 0, false));
            long genctr = DiscoveryLogPage.genctr(header);
            long numrec = DiscoveryLogPage.numrec(header);
            if (numrec < 0 || numrec > MAX_RECORDS) {
                throw new IOException("discovery log announces " + Long.toUnsignedString(numrec) + " records");
            }
            int length = DiscoveryLogPage.HEADER_SIZE + (int) numrec * DiscoveryLogPage.ENTRY_SIZE;
            ByteBuf log = Unpooled.wrappedBuffer(controller.getLogPage(LogPageId.DISCOVERY, 0, length, 0, false));
            if (log.readableBytes() < length) {
                throw new IOException("discovery log returned " + log.readableBytes() + " of " + length + " bytes");
            }
            ByteBuf again = Unpooled.wrappedBuffer(controller.getLogPage(LogPageId.DISCOVERY, 0,
                    DiscoveryLogPage.HEADER_SIZE, 0, false));
            if (DiscoveryLogPage.genctr(again) != genctr || DiscoveryLogPage.genctr(log) != genctr
                    || DiscoveryLogPage.numrec(log) != numrec) {
                continue; // changed while we read it
            }
            List<DiscoveryLogEntry> entries = new ArrayList<>((int) numrec);
            for (int i = 0; i < numrec; i++) {
                entries.add(DiscoveryLogEntry.parse(log, i));
            }
            return new DiscoveryLog(genctr, numrec, log.getUnsignedShortLE(DiscoveryLogPage.RECFMT), entries);
        }
        throw new IOException("discovery log kept changing over " + MAX_ATTEMPTS + " attempts");
    }
}
