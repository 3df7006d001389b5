package org.jnvmet.backend.passthru.internal;

import io.netty.buffer.ByteBuf;
import org.jnvmet.protocol.nvme.AdminOpcode;

/** Checks of a command's data buffer done on the submitter's thread, before a device thread touches it. */
public final class Transfers {
    private Transfers() {
    }

    /**
     * Whether the device writes into the buffer: every opcode without the host-to-controller bit, as the Linux
     * driver maps user buffers ({@code nvme_is_write}).
     */
    public static boolean readsIntoBuffer(int opcode) {
        return !AdminOpcode.transfersHostToController(opcode);
    }

    /**
     * Validates {@code length} against the buffer and the device's largest transfer; for a read, makes room at the
     * writer index. Returns 0, or a negative errno (EINVAL) the command must fail with.
     */
    public static int prepare(ByteBuf sqe, ByteBuf data, int length, long maxTransferBytes) {
        if (sqe == null || sqe.capacity() < 64) {
            return -Errno.EINVAL;
        }
        if (length == 0) {
            return 0;
        }
        if (length < 0 || data == null || (maxTransferBytes > 0 && length > maxTransferBytes)) {
            return -Errno.EINVAL;
        }
        int opcode = sqe.getUnsignedByte(0);
        if (readsIntoBuffer(opcode)) {
            if (data.maxWritableBytes() < length) {
                return -Errno.EINVAL;
            }
            data.ensureWritable(length);
        } else if (data.readableBytes() < length) {
            return -Errno.EINVAL;
        }
        return 0;
    }
}
