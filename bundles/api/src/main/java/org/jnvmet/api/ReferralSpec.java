package org.jnvmet.api;

/**
 * A referral ({@code ports/<portid>/referrals/<name>/}): another discovery service the discovery log points to.
 *
 * @param name     the referral's directory name
 * @param trtype   addr_trtype
 * @param adrfam   addr_adrfam
 * @param traddr   addr_traddr
 * @param trsvcid  addr_trsvcid
 * @param treq     addr_treq
 * @param portId   addr_portid
 * @param enabled  enable
 */
public record ReferralSpec(String name, String trtype, String adrfam, String traddr, String trsvcid, int treq,
        int portId, boolean enabled) {
}
