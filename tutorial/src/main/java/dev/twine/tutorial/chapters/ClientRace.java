package dev.twine.tutorial.chapters;

import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.tutorial.Console;
import dev.twine.tutorial.servers.SlowPoetry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Part 2's comparison in one program: starts a slow poetry server per poem (on a reactor of its
 * own thread, on 127.0.0.1), then runs the blocking client and the {@code select} client against
 * them, one after the other, and prints what each prints. The blocking client takes about the sum
 * of the downloads, the asynchronous one about the longest.
 */
public final class ClientRace {
    private ClientRace() {
    }

    /** Runs the comparison; returns the exit status. */
    public static int run(Console console, List<Path> poems, int numBytes, Duration delay) throws IOException, InterruptedException {
        Reactor reactor = ReactorProvider.selected().createReactor();
        Console quiet = new Console(new PrintStream(OutputStream.nullOutputStream()), new PrintStream(OutputStream.nullOutputStream()));
        List<String> ports = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path poem : poems) {
            String text = Files.readString(poem, StandardCharsets.UTF_8);
            ListeningPort port = SlowPoetry.listen(reactor, text, poem.toString(), numBytes, delay, 0, "127.0.0.1", quiet);
            ports.add(String.valueOf(((IPv4Address) port.getHost()).port()));
            names.add(poem.getFileName() + " on " + ports.get(ports.size() - 1));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread servers = new Thread(() -> {
            try {
                reactor.run();
            } finally {
                stopped.countDown();
            }
        }, "slow-poetry-servers");
        servers.setDaemon(true);
        servers.start();
        try {
            console.println("Slow poetry servers (" + numBytes + " characters every " + delay.toMillis() + " ms): "
                    + String.join(", ", names));
            int status = 0;
            for (String client : List.of("blocking-client", "async-client")) {
                console.println("");
                console.println("$ ./twine tutorial " + client + " " + String.join(" ", ports));
                status |= Catalogue.execute(Catalogue.find(client).orElseThrow(),
                        Run.realTime(console, ports, () -> {
                            throw new IllegalStateException("the Part 2 clients use no reactor");
                        }));
            }
            return status;
        } finally {
            reactor.callFromThread(reactor::stop);
            stopped.await(10, TimeUnit.SECONDS);
        }
    }
}
