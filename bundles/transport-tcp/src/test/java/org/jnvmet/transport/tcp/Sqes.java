package org.jnvmet.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;

/** Builds the few SQEs the transport tests send (NVMe Base 2.0 / NVMe over Fabrics 1.1 layouts). */
final class Sqes {
    private Sqes() {
    }

    static ByteBuf sqe(int opcode, int cid, int nsid) {
        ByteBuf s = Unpooled.buffer(64, 64).writeZero(64);
        SubmissionQueueEntry.setOpcode(s, opcode);
        SubmissionQueueEntry.setFlags(s, SubmissionQueueEntry.FLAGS_PSDT_SGL_MPTR_CONTIG);
        SubmissionQueueEntry.setCid(s, cid);
        SubmissionQueueEntry.setNsid(s, nsid);
        return s;
    }

    /** Fabrics Connect: QID at byte 42, SQSIZE (0's based) at 44, CATTR at 46, KATO at 48. */
    static ByteBuf connect(int cid, int qid, int queueSize, boolean disableSqFlow) {
        ByteBuf s = sqe(FakeTarget.OP_FABRICS, cid, 0);
        s.setByte(4, 0x01);
        s.setShortLE(42, qid);
        s.setShortLE(44, queueSize - 1);
        s.setByte(46, disableSqFlow ? 0x04 : 0);
        return s;
    }

    /** The 1024-byte Connect data: host identifier, CNTLID, SUBNQN, HOSTNQN. */
    static ByteBuf connectData(int cntlid) {
        ByteBuf d = Unpooled.buffer(1024).writeZero(1024);
        d.setShortLE(16, cntlid);
        d.setCharSequence(256, "nqn.2024-01.org.jnvmet:test", StandardCharsets.US_ASCII);
        d.setCharSequence(512, "nqn.2024-01.org.jnvmet:host", StandardCharsets.US_ASCII);
        return d;
    }

    static ByteBuf rw(int opcode, int cid, long slba, int blocks) {
        ByteBuf s = sqe(opcode, cid, 1);
        SubmissionQueueEntry.setCdw(s, 10, (int) slba);
        SubmissionQueueEntry.setCdw(s, 11, (int) (slba >>> 32));
        SubmissionQueueEntry.setCdw(s, 12, blocks - 1);
        return s;
    }
}
