package dev.twine.tutorial.chapters;

import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.Timedelta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Part 2, "Slow Poetry and the Apocalypse": the two clients from before Twisted, on plain JDK
 * sockets. The blocking client (blocking-client/get-poetry.py) downloads one poem after the
 * other, so against slow servers it takes the sum of their times; the asynchronous one
 * (async-client/get-poetry.py) waits on every socket at once with a {@link Selector}, the JDK's
 * {@code select}, and takes about the longest time.
 */
final class Part2 {
    private Part2() {
    }

    /** blocking-client: each poem in turn, with blocking reads. */
    static void blockingClient(Run run) throws IOException {
        List<HostPort> addresses = addresses(run);
        Duration elapsed = Duration.ZERO;
        for (int i = 0; i < addresses.size(); i++) {
            HostPort address = addresses.get(i);
            run.print(String.format("Task %d: get poetry from: %s", i + 1, address));
            long start = System.nanoTime();
            String poem = getPoetry(address);
            Duration time = Duration.ofNanos(System.nanoTime() - start);
            // The original counts characters of the decoded poem, though it says bytes.
            run.print(String.format("Task %d: got %d bytes of poetry from %s in %s", i + 1, characters(poem), address,
                    Timedelta.format(time)));
            elapsed = elapsed.plus(time);
        }
        run.print(String.format("Got %d poems in %s", addresses.size(), Timedelta.format(elapsed)));
    }

    private static String getPoetry(HostPort address) throws IOException {
        try (Socket socket = new Socket(address.host(), address.port())) {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream poem = new ByteArrayOutputStream();
            byte[] buffer = new byte[1024];
            int n;
            // The blocking call: read() waits for as long as the server takes.
            while ((n = in.read(buffer)) >= 0) {
                poem.write(buffer, 0, n);
            }
            return poem.toString(StandardCharsets.UTF_8);
        }
    }

    /** async-client: every socket at once; the select loop is the reactor written by hand. */
    static void asyncClient(Run run) throws IOException {
        List<HostPort> addresses = addresses(run);
        long start = System.nanoTime();
        List<SocketChannel> sockets = new ArrayList<>();
        for (HostPort address : addresses) {
            SocketChannel socket = SocketChannel.open(new InetSocketAddress(address.host(), address.port()));
            socket.configureBlocking(false);
            sockets.add(socket);
        }
        List<ByteArrayOutputStream> poems = getPoetry(run, sockets);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        for (int i = 0; i < sockets.size(); i++) {
            run.print(String.format("Task %d: %d bytes of poetry", i + 1, characters(poems.get(i).toString(StandardCharsets.UTF_8))));
        }
        run.print(String.format("Got %d poems in %s", addresses.size(), Timedelta.format(elapsed)));
    }

    private static List<ByteArrayOutputStream> getPoetry(Run run, List<SocketChannel> sockets) throws IOException {
        List<ByteArrayOutputStream> poems = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < sockets.size(); i++) {
                poems.add(new ByteArrayOutputStream());
                sockets.get(i).register(selector, SelectionKey.OP_READ, i);
            }
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            // Round this loop until every socket is done: the "reactor loop".
            int open = sockets.size();
            while (open > 0) {
                // Blocks until one or more sockets are ready to read.
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel socket = (SocketChannel) key.channel();
                    int task = (Integer) key.attachment();
                    ByteArrayOutputStream data = new ByteArrayOutputStream();
                    while (true) {
                        buffer.clear();
                        int n = socket.read(buffer);
                        if (n <= 0) {
                            break; // 0: the read would block; -1: the server closed
                        }
                        data.write(buffer.array(), 0, n);
                    }
                    if (data.size() == 0) {
                        key.cancel();
                        socket.close();
                        open--;
                        run.print(String.format("Task %d finished", task + 1));
                    } else {
                        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteAddress();
                        run.print(String.format("Task %d: got %d bytes of poetry from %s:%d", task + 1, data.size(),
                                peer.getAddress().getHostAddress(), peer.getPort()));
                        data.writeTo(poems.get(task));
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        return poems;
    }

    private static List<HostPort> addresses(Run run) {
        if (run.args().isEmpty()) {
            throw new IllegalArgumentException("give at least one poetry server: a port, or host:port");
        }
        return run.args().stream().map(HostPort::parse).toList();
    }

    private static int characters(String poem) {
        return poem.codePointCount(0, poem.length());
    }
}
