package org.jnvmet.protocol.nvme;

/** Identify command CNS values (NVMe Base 2.0, 5.17.2 "Identify", Figure 273). */
public final class IdentifyCns {
    public static final int NAMESPACE = 0x00;
    public static final int CONTROLLER = 0x01;
    public static final int ACTIVE_NAMESPACE_LIST = 0x02;
    public static final int NAMESPACE_ID_DESCRIPTOR_LIST = 0x03;
    public static final int NVM_SET_LIST = 0x04;
    public static final int CS_NAMESPACE = 0x05;
    public static final int CS_CONTROLLER = 0x06;
    public static final int CS_ACTIVE_NAMESPACE_LIST = 0x07;
    public static final int CS_INDEPENDENT_NAMESPACE = 0x08;
    public static final int ALLOCATED_NAMESPACE_LIST = 0x10;
    public static final int ALLOCATED_NAMESPACE = 0x11;
    public static final int NAMESPACE_ATTACHED_CONTROLLER_LIST = 0x12;
    public static final int CONTROLLER_LIST = 0x13;
    public static final int PRIMARY_CONTROLLER_CAPABILITIES = 0x14;
    public static final int SECONDARY_CONTROLLER_LIST = 0x15;
    public static final int NAMESPACE_GRANULARITY_LIST = 0x16;
    public static final int UUID_LIST = 0x17;
    public static final int DOMAIN_LIST = 0x18;
    public static final int ENDURANCE_GROUP_LIST = 0x19;

    /** Every Identify data structure is 4096 bytes. */
    public static final int DATA_SIZE = 4096;

    private IdentifyCns() {
    }
}
