package dev.twine.tutorial.programs;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.ConnectionLost;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.HostPort;
import dev.twine.tutorial.Timedelta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Client 1.0 (twisted-client-1/get-poetry.py): the asynchronous client on raw descriptors. Each
 * socket is connected, then read by hand by a {@link ReadDescriptor} the reactor calls when bytes
 * are ready ({@code addReader}); the reactor does the waiting the hand-written select loop did.
 */
public final class Client1 {
    private Client1() {
    }

    /** Reads a poem by hand from one socket. */
    static final class PoetrySocket implements ReadDescriptor {
        final int task;
        final SocketChannel socket;
        final HostPort address;
        final ByteArrayOutputStream poem = new ByteArrayOutputStream();
        final Deferred<Void> done = new Deferred<>();
        final Console console;

        PoetrySocket(int task, SocketChannel socket, HostPort address, Console console) {
            this.task = task;
            this.socket = socket;
            this.address = address;
            this.console = console;
        }

        @Override
        public Throwable doRead() {
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            int n;
            try {
                n = socket.read(buffer);
            } catch (IOException e) {
                return new ConnectionLost(e);
            }
            if (n < 0) {
                return new ConnectionDone();
            }
            poem.write(buffer.array(), 0, n);
            console.println("Task " + task + ": got " + n + " bytes of poetry from " + address);
            return null;
        }

        @Override
        public SelectableChannel channel() {
            return socket;
        }

        @Override
        public void connectionLost(Failure reason) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            console.println("Task " + task + " finished");
            done.callback(null);
        }

        @Override
        public String logPrefix() {
            return "PoetrySocket " + task;
        }
    }

    /** Gets a poem from each address at once; the Deferred fires once all are in and the report is printed. */
    public static Deferred<Void> main(Reactor reactor, List<HostPort> addresses, Console console) {
        if (!(reactor instanceof ReactorDescriptors descriptors)) {
            return Deferred.fail(new IllegalStateException("client 1.0 needs a reactor that watches descriptors"));
        }
        long start = System.nanoTime();
        List<PoetrySocket> sockets = new ArrayList<>();
        List<Deferred<Void>> all = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            HostPort address = addresses.get(i);
            SocketChannel socket;
            try {
                // As the original: a blocking connect, then the reactor reads.
                socket = SocketChannel.open(new InetSocketAddress(address.host(), address.port()));
            } catch (IOException e) {
                console.errln("Task " + (i + 1) + ": could not connect to " + address + ": " + e.getMessage());
                continue;
            }
            PoetrySocket reader = new PoetrySocket(i + 1, socket, address, console);
            sockets.add(reader);
            all.add(reader.done);
            descriptors.addReader(reader);
        }
        return dev.twine.defer.DeferredList.gatherResults(all).addVoidCallback(ignored -> {
            for (PoetrySocket socket : sockets) {
                console.println("Task " + socket.task + ": " + socket.poem.toString(StandardCharsets.UTF_8).length()
                        + " characters of poetry");
            }
            console.println("Got " + sockets.size() + " poems in " + Timedelta.format(Duration.ofNanos(System.nanoTime() - start)));
        });
    }
}
