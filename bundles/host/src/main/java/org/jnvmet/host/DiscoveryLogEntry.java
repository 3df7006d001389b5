package org.jnvmet.host;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.fabrics.DiscoveryLogPage;
import org.jnvmet.protocol.nvme.AsciiField;

/** One Discovery Log Page entry (NVMe over Fabrics 1.1, Figure 32), read through {@link DiscoveryLogPage}. */
public record DiscoveryLogEntry(int trtype, int adrfam, int subtype, int treq, int portId, int cntlid, int asqsz,
        int eflags, String trsvcid, String subnqn, String traddr) {

    /** Parses entry {@code index} of a discovery log page held in {@code log} (index 0 = byte 0 of the page). */
    public static DiscoveryLogEntry parse(ByteBuf log, int index) {
        int base = DiscoveryLogPage.entryOffset(index);
        return new DiscoveryLogEntry(log.getUnsignedByte(base + DiscoveryLogPage.TRTYPE),
                log.getUnsignedByte(base + DiscoveryLogPage.ADRFAM),
                log.getUnsignedByte(base + DiscoveryLogPage.SUBTYPE),
                log.getUnsignedByte(base + DiscoveryLogPage.TREQ),
                log.getUnsignedShortLE(base + DiscoveryLogPage.PORTID),
                log.getUnsignedShortLE(base + DiscoveryLogPage.CNTLID),
                log.getUnsignedShortLE(base + DiscoveryLogPage.ASQSZ),
                log.getUnsignedShortLE(base + DiscoveryLogPage.EFLAGS),
                AsciiField.getTrimmed(log, base + DiscoveryLogPage.TRSVCID, DiscoveryLogPage.TRSVCID_LENGTH),
                AsciiField.getNulTerminated(log, base + DiscoveryLogPage.SUBNQN, DiscoveryLogPage.SUBNQN_LENGTH),
                AsciiField.getTrimmed(log, base + DiscoveryLogPage.TRADDR, DiscoveryLogPage.TRADDR_LENGTH));
    }
}
