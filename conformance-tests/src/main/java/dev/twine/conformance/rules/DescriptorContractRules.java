package dev.twine.conformance.rules;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Rule;
import dev.twine.conformance.harness.RuleSet;
import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorDescriptors;
import dev.twine.reactor.ReadDescriptor;
import dev.twine.trial.TrialContext;
import dev.twine.trial.TrialTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * User descriptors as Twisted's test_core (shutdownDisconnectsCleanly) and its select loops treat
 * them: a connectionLost that throws at shutdown, and a descriptor removed by another in the same
 * pass of ready descriptors.
 */
@API(status = INTERNAL, since = "0.1")
public class DescriptorContractRules extends RuleSet {

    static ReactorDescriptors fds(Reactor reactor) {
        if (!(reactor instanceof ReactorDescriptors fds)) {
            throw new AssertionError("the provider declares DESCRIPTORS but its reactor does not implement ReactorDescriptors");
        }
        return fds;
    }

    /** A pipe whose read end a rule watches; both ends closed when the rule ends. */
    static Pipe pipe(TrialContext test) {
        try {
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            test.addCleanup(() -> {
                try {
                    pipe.sink().close();
                    pipe.source().close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return pipe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reader of a pipe's read end. */
    abstract static class PipeReader implements ReadDescriptor {
        final Pipe pipe;
        final String name;

        PipeReader(Pipe pipe, String name) {
            this.pipe = pipe;
            this.name = name;
        }

        @Override
        public Throwable doRead() throws IOException {
            pipe.source().read(ByteBuffer.allocate(64));
            return null;
        }

        @Override
        public SelectableChannel channel() {
            return pipe.source();
        }

        @Override
        public String logPrefix() {
            return name;
        }
    }

    @Rule(id = "DESC-10", capability = Capability.DESCRIPTORS, value = "at shutdown, a descriptor whose connectionLost "
            + "throws is logged, and every other descriptor still hears connectionLost")
    @TrialTest
    Deferred<Void> aFailingConnectionLostAtShutdownDoesNotStopTheOthers(TrialContext test) {
        Reactor reactor = Rut.build(test);
        List<String> lost = new CopyOnWriteArrayList<>();
        List<Pipe> pipes = List.of(pipe(test), pipe(test), pipe(test));
        reactor.callWhenRunning(() -> {
            for (int i = 1; i <= 3; i++) {
                String name = "descriptor " + i;
                fds(reactor).addReader(new PipeReader(pipes.get(i - 1), name) {
                    @Override
                    public void connectionLost(Failure reason) {
                        lost.add(name);
                        throw new IllegalStateException("connectionLost of " + name + " fails");
                    }
                });
            }
            reactor.stop();
        });
        return Rut.startGuarded(test, reactor).addVoidCallback(crashed -> {
            assertThat(crashed).as("had to be crashed: shutdown never finished").isFalse();
            assertThat(lost).as("descriptors that heard connectionLost at shutdown (one whose connectionLost threw "
                    + "stopped the others)").containsExactlyInAnyOrder("descriptor 1", "descriptor 2", "descriptor 3");
            assertThat(test.flushLoggedErrors(IllegalStateException.class)).as("errors logged for the failing "
                    + "connectionLost calls").hasSize(3);
        });
    }

    @Rule(id = "DESC-11", capability = Capability.DESCRIPTORS, value = "a reader removed by another reader's doRead is "
            + "not called, even when its channel was ready in the same pass")
    @TrialTest
    Deferred<Void> aReaderRemovedInThePassIsNotCalled(TrialContext test) {
        List<String> reads = new ArrayList<>();
        List<Pipe> pipes = List.of(pipe(test), pipe(test));
        return Rut.start(test, reactor -> {
            List<PipeReader> readers = new ArrayList<>();
            Deferred<Void> done = new Deferred<>();
            for (int i = 1; i <= 2; i++) {
                Pipe pipe = pipes.get(i - 1);
                try {
                    pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                readers.add(new PipeReader(pipe, "reader " + i) {
                    @Override
                    public Throwable doRead() throws IOException {
                        reads.add(name);
                        super.doRead();
                        // The first reader called removes both: the other, though ready, must not be called.
                        for (PipeReader reader : readers) {
                            fds(reactor).removeReader(reader);
                        }
                        if (reads.size() == 1) {
                            reactor.callLater(Duration.ZERO, () -> done.callback(null));
                        }
                        return null;
                    }

                    @Override
                    public void connectionLost(Failure reason) {
                        // nothing to release: the rule closes the pipes
                    }
                });
            }
            readers.forEach(fds(reactor)::addReader);
            return done;
        }).addVoidCallback(ignored -> {
            assertThat(reads).as("doRead calls (a reader removed by another reader's doRead was still called in the same "
                    + "pass)").hasSize(1);
        });
    }
}
