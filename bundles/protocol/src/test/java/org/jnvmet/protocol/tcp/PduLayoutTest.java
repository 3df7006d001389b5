package org.jnvmet.protocol.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jnvmet.protocol.nvme.CompletionQueueEntry;
import org.jnvmet.protocol.nvme.SubmissionQueueEntry;
import org.junit.jupiter.api.Test;

/** Round trips of every PDU layout and the exact wire bytes of the common header. */
class PduLayoutTest {
    @Test
    void icReqRoundTrip() {
        ByteBuf b = Unpooled.buffer();
        IcReqPdu.write(b, IcReqPdu.PFV_1_0, 0, IcReqPdu.DGST_HEADER | IcReqPdu.DGST_DATA, 0xFFFFFFFFL);
        assertEquals(128, b.readableBytes());
        assertEquals(PduType.IC_REQ, PduHeader.type(b));
        assertEquals(128, PduHeader.hlen(b));
        assertEquals(0, PduHeader.pdo(b));
        assertEquals(128, PduHeader.plen(b));
        assertEquals(0, IcReqPdu.pfv(b));
        assertEquals(0, IcReqPdu.hpda(b));
        assertEquals(3, IcReqPdu.digest(b));
        assertEquals(0xFFFFFFFFL, IcReqPdu.maxr2t(b));
        // plen is little endian at offset 4
        assertEquals(0x80, b.getUnsignedByte(4));
        assertEquals(0, b.getUnsignedByte(5));
    }

    @Test
    void icRespRoundTrip() {
        ByteBuf b = Unpooled.buffer();
        IcRespPdu.write(b, 0, 0, IcReqPdu.DGST_DATA, 0x400000);
        assertEquals(128, b.readableBytes());
        assertEquals(PduType.IC_RESP, PduHeader.type(b));
        assertEquals(0, IcRespPdu.cpda(b));
        assertEquals(2, IcRespPdu.digest(b));
        assertEquals(0x400000, IcRespPdu.maxh2cdata(b));
        assertEquals(0x00, b.getUnsignedByte(12));
        assertEquals(0x40, b.getUnsignedByte(14));
    }

    @Test
    void termReqCarriesOffendingHeader() {
        ByteBuf offending = Unpooled.buffer().writeBytes(new byte[200]);
        ByteBuf b = Unpooled.buffer();
        C2HTermReqPdu.write(b, FatalErrorStatus.INVALID_PDU_HEADER_FIELD, 2, offending);
        assertEquals(PduType.C2H_TERM_REQ, PduHeader.type(b));
        assertEquals(24, PduHeader.hlen(b));
        assertEquals(TermReqPdu.MAX_PLEN, PduHeader.plen(b));
        assertEquals(TermReqPdu.MAX_PLEN, b.readableBytes());
        assertEquals(1, TermReqPdu.fes(b));
        assertEquals(2, TermReqPdu.fei(b));

        ByteBuf h = Unpooled.buffer();
        H2CTermReqPdu.write(h, FatalErrorStatus.HEADER_DIGEST_ERROR, 0, null);
        assertEquals(PduType.H2C_TERM_REQ, PduHeader.type(h));
        assertEquals(24, PduHeader.plen(h));
        assertEquals(24, h.readableBytes());
        assertEquals(3, TermReqPdu.fes(h));
    }

    @Test
    void capsuleCommandWithAndWithoutDigests() {
        ByteBuf sqe = Unpooled.buffer(64).writeZero(64);
        SubmissionQueueEntry.setOpcode(sqe, 0x01);
        SubmissionQueueEntry.setCid(sqe, 0xBEEF);
        SubmissionQueueEntry.setNsid(sqe, 1);

        ByteBuf plain = Unpooled.buffer();
        CapsuleCommandPdu.writeHeader(plain, sqe, false, false, 4096);
        assertEquals(72, plain.readableBytes());
        assertEquals(72, PduHeader.pdo(plain));
        assertEquals(72 + 4096, PduHeader.plen(plain));
        assertEquals(0, PduHeader.flags(plain));
        ByteBuf got = CapsuleCommandPdu.sqe(plain);
        assertEquals(0x01, SubmissionQueueEntry.opcode(got));
        assertEquals(0xBEEF, SubmissionQueueEntry.cid(got));
        assertEquals(1, SubmissionQueueEntry.nsid(got));

        ByteBuf dg = Unpooled.buffer();
        CapsuleCommandPdu.writeHeader(dg, sqe, true, true, 4096);
        assertEquals(76, dg.readableBytes());
        assertEquals(PduHeader.FLAG_HDGST | PduHeader.FLAG_DDGST, PduHeader.flags(dg));
        assertEquals(76, PduHeader.pdo(dg));
        assertEquals(76 + 4096 + 4, PduHeader.plen(dg));
        assertEquals(Crc32c.compute(dg, 0, 72), dg.getIntLE(72));

        ByteBuf noData = Unpooled.buffer();
        CapsuleCommandPdu.writeHeader(noData, sqe, true, true, 0);
        assertEquals(PduHeader.FLAG_HDGST, PduHeader.flags(noData));
        assertEquals(0, PduHeader.pdo(noData));
        assertEquals(76, PduHeader.plen(noData));
    }

    @Test
    void capsuleResponseRoundTrip() {
        ByteBuf b = Unpooled.buffer();
        CapsuleResponsePdu.write(b, true, 0x1122334455667788L, 7, 3, 0x1234, 0x4002);
        assertEquals(28, b.readableBytes());
        assertEquals(28, PduHeader.plen(b));
        ByteBuf cqe = CapsuleResponsePdu.cqe(b);
        assertEquals(0x1122334455667788L, CompletionQueueEntry.result(cqe));
        assertEquals(7, CompletionQueueEntry.sqHead(cqe));
        assertEquals(3, CompletionQueueEntry.sqId(cqe));
        assertEquals(0x1234, CompletionQueueEntry.cid(cqe));
        assertEquals(0x4002, CompletionQueueEntry.status(cqe));
        assertEquals(Crc32c.compute(b, 0, 24), b.getIntLE(24));
    }

    @Test
    void dataPdusRoundTrip() {
        ByteBuf h2c = Unpooled.buffer();
        H2CDataPdu.writeHeader(h2c, false, true, 9, 17, 8192, 4096, true);
        assertEquals(PduType.H2C_DATA, PduHeader.type(h2c));
        assertEquals(PduHeader.FLAG_LAST_PDU | PduHeader.FLAG_DDGST, PduHeader.flags(h2c));
        assertEquals(24, PduHeader.pdo(h2c));
        assertEquals(24 + 4096 + 4, PduHeader.plen(h2c));
        assertEquals(9, DataPdu.cccid(h2c));
        assertEquals(17, DataPdu.ttag(h2c));
        assertEquals(8192, DataPdu.datao(h2c));
        assertEquals(4096, DataPdu.datal(h2c));

        ByteBuf c2h = Unpooled.buffer();
        C2HDataPdu.writeHeader(c2h, true, false, 5, 0, 512, true, true);
        assertEquals(PduType.C2H_DATA, PduHeader.type(c2h));
        assertEquals(PduHeader.FLAG_HDGST | PduHeader.FLAG_LAST_PDU | PduHeader.FLAG_SUCCESS,
                PduHeader.flags(c2h));
        assertEquals(28, PduHeader.pdo(c2h));
        assertEquals(28 + 512, PduHeader.plen(c2h));
        assertEquals(28, c2h.readableBytes());
        assertThrows(IllegalArgumentException.class,
                () -> C2HDataPdu.writeHeader(Unpooled.buffer(), false, false, 1, 0, 1, false, true));
    }

    @Test
    void r2tRoundTrip() {
        ByteBuf b = Unpooled.buffer();
        R2TPdu.write(b, false, 0x77, 3, 16384, 0x400000);
        assertEquals(24, b.readableBytes());
        assertEquals(PduType.R2T, PduHeader.type(b));
        assertEquals(0, PduHeader.pdo(b));
        assertEquals(24, PduHeader.plen(b));
        assertEquals(0x77, R2TPdu.cccid(b));
        assertEquals(3, R2TPdu.ttag(b));
        assertEquals(16384, R2TPdu.r2to(b));
        assertEquals(0x400000, R2TPdu.r2tl(b));
    }

    @Test
    void headerLengthsPerType() {
        assertEquals(128, PduType.headerLength(PduType.IC_REQ));
        assertEquals(72, PduType.headerLength(PduType.CAPSULE_CMD));
        assertEquals(24, PduType.headerLength(PduType.R2T));
        assertEquals(-1, PduType.headerLength(0x08));
        assertEquals(-1, PduType.headerLength(0xFF));
    }
}
