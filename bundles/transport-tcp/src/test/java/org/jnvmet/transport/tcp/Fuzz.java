package org.jnvmet.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jnvmet.protocol.tcp.PduHeader;
import org.jnvmet.protocol.tcp.PduType;
import org.jnvmet.protocol.tcp.TermReqPdu;

/** Mutations of valid PDUs and the check of what a target answered to a hostile connection. */
final class Fuzz {
    private Fuzz() {
    }

    static void mutate(ByteBuf pdu, Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0: // flip some bytes anywhere
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
                    int at = rnd.nextInt(pdu.writerIndex());
                    pdu.setByte(at, pdu.getByte(at) ^ (1 << rnd.nextInt(8)));
                }
                break;
            case 1:
                pdu.setByte(PduHeader.HLEN, rnd.nextInt(256));
                break;
            case 2:
                pdu.setByte(PduHeader.PDO, rnd.nextInt(256));
                break;
            case 3:
                pdu.setIntLE(PduHeader.PLEN, rnd.nextInt());
                break;
            case 4:
                pdu.setByte(PduHeader.FLAGS, rnd.nextInt(256));
                break;
            default: // a PDU specific field (TTAG, DATAO, DATAL, SQE bytes)
                int at = 8 + rnd.nextInt(Math.min(64, pdu.writerIndex() - 8));
                pdu.setByte(at, rnd.nextInt(256));
                break;
        }
        if (rnd.nextInt(4) == 0) {
            pdu.writerIndex(rnd.nextInt(pdu.writerIndex()));   // and send only part of it
        }
    }

    /**
     * The target's output must be a sequence of whole, sane PDUs of types a controller sends, with a C2HTermReq
     * (if any) last. The target closed the connection, or readToEnd would have failed.
     */
    static void checkTargetOutput(byte[] bytes, String what, Map<String, Integer> outcomes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        List<String> types = new ArrayList<>();
        while (b.isReadable()) {
            if (b.readableBytes() < PduHeader.SIZE) {
                fail(what + ": truncated PDU after " + types);
            }
            int type = PduHeader.type(b);
            long plen = PduHeader.plen(b);
            types.add(PduType.name(type));
            if (plen < PduHeader.SIZE || plen > b.readableBytes()) {
                fail(what + ": bad PLEN " + plen + " in " + types);
            }
            switch (type) {
                case PduType.IC_RESP:
                case PduType.CAPSULE_RESP:
                case PduType.C2H_DATA:
                case PduType.R2T:
                    break;
                case PduType.C2H_TERM_REQ:
                    int fes = TermReqPdu.fes(b);
                    assertTrue(fes >= 1 && fes <= 6, what + ": FES " + fes);
                    assertTrue(plen <= TermReqPdu.MAX_PLEN, what + ": TermReq PLEN " + plen);
                    assertEquals(plen, b.readableBytes(), what + ": C2HTermReq must be the last PDU");
                    outcomes.merge(what + ": FES " + fes, 1, Integer::sum);
                    break;
                default:
                    fail(what + ": target sent PDU type " + PduType.name(type));
            }
            b.skipBytes((int) plen);
        }
        if (types.isEmpty() || !types.get(types.size() - 1).equals("C2HTermReq")) {
            outcomes.merge(what + ": closed " + (types.isEmpty() ? "silently" : "after " + new java.util.TreeSet<>(types)),
                    1, Integer::sum);
        }
    }
}
