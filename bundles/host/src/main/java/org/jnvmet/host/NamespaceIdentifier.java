package org.jnvmet.host;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.jnvmet.protocol.nvme.NamespaceIdDescriptor;

/**
 * One Namespace Identification Descriptor (NVMe Base 2.0, 5.17.2.3, Figure 278).
 *
 * @param type  NIDT: {@link NamespaceIdDescriptor#NIDT_EUI64}, {@code NIDT_NGUID}, {@code NIDT_UUID}, {@code NIDT_CSI}
 * @param value NID bytes
 */
public record NamespaceIdentifier(int type, byte[] value) {
    public NamespaceIdentifier {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The identifier as a UUID; only for {@code NIDT_UUID}. */
    public UUID uuid() {
        if (type != NamespaceIdDescriptor.NIDT_UUID || value.length != NamespaceIdDescriptor.NIDL_UUID) {
            throw new IllegalStateException("not a UUID descriptor: " + this);
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = msb << 8 | (value[i] & 0xFF);
            lsb = lsb << 8 | (value[i + 8] & 0xFF);
        }
        return new UUID(msb, lsb);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamespaceIdentifier other && other.type == type && Arrays.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "NamespaceIdentifier[nidt=" + type + ", nid=" + HexFormat.of().formatHex(value) + "]";
    }
}
