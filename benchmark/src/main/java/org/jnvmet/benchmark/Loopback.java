package org.jnvmet.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The loopback TCP yardstick, between two JVMs pinned like the target and the load generator. The server (this
 * main) accepts on 127.0.0.1 and serves each connection as its first byte asks: {@code B} blast (read and discard
 * until EOF, then answer the 8-byte byte count) or {@code P} ping-pong (echo fixed-size messages, blocking or
 * busy-polling). The client side lives in {@link LoopbackClient}.
 */
public final class Loopback {
    static final byte BLAST = 'B';
    static final byte PING_BLOCKING = 'P';
    static final byte PING_SPIN = 'S';

    private Loopback() {
    }

    public static void main(String[] args) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        PrintStream control = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        control.println("READY port=" + ((InetSocketAddress) server.getLocalAddress()).getPort());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel ch = server.accept();
                    serve(ch);   // one connection at a time: the client measures one thing at a time
                }
            } catch (IOException e) {
                // server closed
            }
        }, "loopback-server");
        acceptor.setDaemon(true);
        acceptor.start();
        // stop when the client closes our stdin
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        server.close();
        System.exit(0);
    }

    private static void serve(SocketChannel ch) {
        try (ch) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer head = ByteBuffer.allocate(5);
            readFully(ch, head, false);
            byte mode = head.get(0);
            int size = head.getInt(1);
            if (mode == BLAST) {
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                long total = 0;
                int n;
                while ((n = ch.read(buf)) >= 0) {
                    total += n;
                    buf.clear();
                }
                ByteBuffer answer = ByteBuffer.allocate(8).putLong(0, total);
                while (answer.hasRemaining()) {
                    ch.write(answer);
                }
            } else {
                boolean spin = mode == PING_SPIN;
                if (spin) {
                    ch.configureBlocking(false);
                }
                ByteBuffer buf = ByteBuffer.allocateDirect(size);
                while (true) {
                    buf.clear();
                    if (!readFully(ch, buf, spin)) {
                        return;
                    }
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /** Fills {@code buf}; false on EOF. With {@code spin}, polls a non-blocking channel instead of sleeping. */
    static boolean readFully(SocketChannel ch, ByteBuffer buf, boolean spin) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf);
            if (n < 0) {
                return false;
            }
            if (n == 0 && spin) {
                Thread.onSpinWait();
            }
        }
        return true;
    }
}
