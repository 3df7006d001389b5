package org.jnvmet.api;

/** A port and whether it is listening; {@code reason} says why not (e.g. "transport tcp not registered"). */
public record PortStatus(int portId, String trtype, String traddr, String trsvcid, boolean listening, String reason) {
}
