package org.jnvmet.spi.transport;

/**
 * A port's transport attributes, named as the Linux target's configfs port directory names them
 * ({@code addr_trtype}, {@code addr_adrfam}, {@code addr_traddr}, {@code addr_trsvcid}, {@code addr_treq},
 * {@code param_inline_data_size}, {@code param_max_queue_size}).
 *
 * @param portId          configfs port number, the discovery log's PORTID
 * @param trtype          transport type name: "tcp", "loop"
 * @param adrfam          "ipv4", "ipv6", "loop"
 * @param traddr          address to listen on ("0.0.0.0" / "::" for all)
 * @param trsvcid         service id (TCP port number as text)
 * @param treq            transport requirements byte for the discovery log (0x04: SQ flow control disable supported)
 * @param inlineDataSize  in-capsule data size for I/O queues in bytes, -1 for the transport default
 * @param maxQueueSize    largest I/O queue size a host may request
 */
public record PortAddress(int portId, String trtype, String adrfam, String traddr, String trsvcid, int treq,
        int inlineDataSize, int maxQueueSize) {
}
