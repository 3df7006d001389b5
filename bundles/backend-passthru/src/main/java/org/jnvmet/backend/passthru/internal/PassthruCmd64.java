package org.jnvmet.backend.passthru.internal;

import io.netty.buffer.ByteBuf;
import jnr.ffi.Pointer;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/**
 * {@code struct nvme_passthru_cmd64} of include/uapi/linux/nvme_ioctl.h, 80 bytes in native byte order, naturally
 * aligned (no padding: every field sits at a multiple of its size).
 */
public final class PassthruCmd64 {
    public static final int OPCODE = 0;      // __u8
    public static final int FLAGS = 1;       // __u8
    public static final int RSVD1 = 2;       // __u16
    public static final int NSID = 4;        // __u32
    public static final int CDW2 = 8;        // __u32
    public static final int CDW3 = 12;       // __u32
    public static final int METADATA = 16;   // __u64 user address
    public static final int ADDR = 24;       // __u64 user address
    public static final int METADATA_LEN = 32; // __u32
    public static final int DATA_LEN = 36;   // __u32 (union with vec_cnt)
    public static final int CDW10 = 40;      // __u32 x 6
    public static final int CDW15 = 60;
    public static final int TIMEOUT_MS = 64; // __u32
    public static final int RSVD2 = 68;      // __u32
    public static final int RESULT = 72;     // __u64
    public static final int SIZE = 80;

    /** The PSDT bits of the flags byte: the driver chooses PRPs or SGLs itself. */
    private static final int FLAGS_PSDT_MASK = SubmissionQueueEntry.FLAGS_PSDT_MASK;

    private PassthruCmd64() {
    }

    /** Fills {@code cmd} from a 64-byte SQE (little endian) for a transfer of {@code length} bytes at {@code addr}. */
    public static void encode(Pointer cmd, ByteBuf sqe, long addr, int length, int timeoutMs) {
        cmd.setMemory(0, SIZE, (byte) 0);
        cmd.putByte(OPCODE, sqe.getByte(SubmissionQueueEntry.OPCODE));
        cmd.putByte(FLAGS, (byte) (sqe.getUnsignedByte(SubmissionQueueEntry.FLAGS) & ~FLAGS_PSDT_MASK));
        cmd.putInt(NSID, sqe.getIntLE(SubmissionQueueEntry.NSID));
        cmd.putInt(CDW2, sqe.getIntLE(SubmissionQueueEntry.CDW2));
        cmd.putInt(CDW3, sqe.getIntLE(SubmissionQueueEntry.CDW3));
        cmd.putLong(ADDR, length == 0 ? 0 : addr);
        cmd.putInt(DATA_LEN, length);
        for (int i = 0; i < 6; i++) {
            cmd.putInt(CDW10 + 4 * i, sqe.getIntLE(SubmissionQueueEntry.CDW10 + 4 * i));
        }
        cmd.putInt(TIMEOUT_MS, timeoutMs);
    }

    public static long result(Pointer cmd) {
        return cmd.getLong(RESULT);
    }
}
