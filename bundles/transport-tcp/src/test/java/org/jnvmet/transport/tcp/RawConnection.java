package org.jnvmet.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.jnvmet.protocol.tcp.IcReqPdu;
import org.jnvmet.protocol.tcp.PduHeader;
import org.jnvmet.protocol.tcp.PduType;
import org.jnvmet.protocol.tcp.TermReqPdu;

/** A blocking socket speaking raw bytes to the target, for conformance and fuzz tests. */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawConnection(InetSocketAddress target, int readTimeoutMillis) throws IOException {
        this(target, readTimeoutMillis, 0);
    }

    /** @param receiveBuffer socket receive buffer size, 0 for the system default */
    RawConnection(InetSocketAddress target, int readTimeoutMillis, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(target, 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(readTimeoutMillis);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(ByteBuf b) throws IOException {
        byte[] bytes = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), bytes);
        out.write(bytes);
        out.flush();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one PDU (header and everything PLEN covers) into a heap buffer. */
    ByteBuf readPdu() throws IOException {
        byte[] ch = new byte[PduHeader.SIZE];
        in.readFully(ch);
        ByteBuf h = Unpooled.wrappedBuffer(ch);
        long plen = PduHeader.plen(h);
        assertTrue(plen >= PduHeader.SIZE && plen <= 64 << 20, "sane PLEN from target: " + plen);
        byte[] all = new byte[(int) plen];
        System.arraycopy(ch, 0, all, 0, ch.length);
        in.readFully(all, ch.length, all.length - ch.length);
        return Unpooled.wrappedBuffer(all);
    }

    /** ICReq with the given digest bits, and the ICResp. */
    ByteBuf handshake(int digest) throws IOException {
        ByteBuf icreq = Unpooled.buffer();
        IcReqPdu.write(icreq, 0, 0, digest, 0);
        send(icreq);
        ByteBuf resp = readPdu();
        assertEquals(PduType.IC_RESP, PduHeader.type(resp));
        return resp;
    }

    /** Expects a C2HTermReq with this FES (and FEI unless negative), then the target closing the connection. */
    ByteBuf expectTermReq(int fes, long fei) throws IOException {
        ByteBuf t = readPdu();
        assertEquals(PduType.name(PduType.C2H_TERM_REQ), PduType.name(PduHeader.type(t)), "C2HTermReq expected");
        assertEquals(TermReqPdu.HLEN, PduHeader.hlen(t));
        assertTrue(PduHeader.plen(t) <= TermReqPdu.MAX_PLEN);
        assertEquals(fes, TermReqPdu.fes(t), "FES");
        if (fei >= 0) {
            assertEquals(fei, TermReqPdu.fei(t), "FEI");
        }
        expectClosed();
        return t;
    }

    /** Expects end of stream (the target closed), skipping nothing. */
    void expectClosed() throws IOException {
        try {
            int b = in.read();
            assertEquals(-1, b, "target should have closed the connection");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("target did not close the connection", e);
        } catch (IOException e) {
            // connection reset: closed as well
        }
    }

    /** Reads everything until the target closes; returns the bytes. Fails on a read timeout. */
    byte[] readToEnd(int limit) throws IOException {
        InputStream s = in;
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = s.read(buf)) >= 0) {
                if (all.size() < limit) {
                    all.write(buf, 0, Math.min(n, limit - all.size()));
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("target neither answered nor closed", e);
        } catch (EOFException e) {
            // closed
        } catch (IOException e) {
            // reset
        }
        return all.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
