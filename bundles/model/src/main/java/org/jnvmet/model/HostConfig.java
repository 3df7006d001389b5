package org.jnvmet.model;

/**
 * A host ({@code hosts/<nqn>/}). The DH-HMAC-CHAP settings are kept for an authentication feature; the target does
 * not enforce them yet.
 *
 * @param nqn            host NQN
 * @param dhchapKey      dhchap_key ("" when unset)
 * @param dhchapCtrlKey  dhchap_ctrl_key ("" when unset)
 * @param dhchapHash     dhchap_hash, e.g. "hmac(sha256)"
 * @param dhchapDhgroup  dhchap_dhgroup, e.g. "null" or "ffdhe2048"
 */
public record HostConfig(String nqn, String dhchapKey, String dhchapCtrlKey, String dhchapHash,
        String dhchapDhgroup) {

    @Override
    public String toString() {
        return "HostConfig[nqn=" + nqn + ", dhchapKey=" + (dhchapKey.isEmpty() ? "" : "***") + ", dhchapCtrlKey="
                + (dhchapCtrlKey.isEmpty() ? "" : "***") + ", dhchapHash=" + dhchapHash + ", dhchapDhgroup="
                + dhchapDhgroup + "]";
    }
}
