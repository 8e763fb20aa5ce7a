package dev.twine.trial.examples;

import dev.twine.defer.Failure;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReactorTime;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.time.Duration;

/** Run by the engine's tests: a leftover whose connectionLost schedules a call when the janitor closes it. */
public class LeavesALossyDescriptor {
    @TrialTest
    void aLeavesADescriptor(ReactorDescriptors reactor) throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        reactor.addReader(new ReadDescriptor() {
            @Override
            public Throwable doRead() {
                return null;
            }

            @Override
            public SelectableChannel channel() {
                return pipe.source();
            }

            @Override
            public void connectionLost(Failure reason) {
                ((ReactorTime) reactor).callLater(Duration.ofSeconds(99), () -> { });
                try {
                    pipe.source().close();
                    pipe.sink().close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public String logPrefix() {
                return "lossy-descriptor";
            }
        });
    }

    @TrialTest
    void bComesNext() {
    }
}
