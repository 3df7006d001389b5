package org.jnvmet.host;

/**
 * An active namespace as the host knows it from Identify Namespace: enough to turn block counts into transfer
 * lengths.
 *
 * @param nsid      namespace ID
 * @param identify  its Identify Namespace data
 */
public record HostNamespace(int nsid, IdentifyNamespaceData identify) {

    /** log2 of the logical block size. */
    public int lbaShift() {
        return identify.lbaShift();
    }

    public int blockSize() {
        return 1 << lbaShift();
    }

    /** Namespace size in logical blocks (NSZE). */
    public long blocks() {
        return identify.nsze();
    }

    public long sizeBytes() {
        return identify.nsze() << lbaShift();
    }
}
