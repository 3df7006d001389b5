package org.jnvmet.host;

import java.util.List;

/**
 * A complete Discovery Log Page (70h) read consistently: the generation counter did not change while the entries
 * were read.
 *
 * @param genctr   generation counter
 * @param numrec   number of records the header announced
 * @param recfmt   record format (0)
 * @param entries  the records
 */
public record DiscoveryLog(long genctr, long numrec, int recfmt, List<DiscoveryLogEntry> entries) {
    public DiscoveryLog {
        entries = List.copyOf(entries);
    }
}
