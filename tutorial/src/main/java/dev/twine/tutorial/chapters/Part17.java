package dev.twine.tutorial.chapters;

import static dev.twine.defer.InlineCallbacks.await;
import static dev.twine.defer.InlineCallbacks.inlineCallbacks;
import static dev.twine.tutorial.chapters.Run.seconds;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorTime;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Part 17, "Just Another Way to Spell 'Callback'": generators (inline-callbacks/gen-1.py …
 * gen-4.py) and inlineCallbacks (inline-callbacks-1.py, -2.py, -tb.py). Java has no generators:
 * the gen programs use {@link Generator}, a generator built on Twine's inlineCallbacks coroutine,
 * which is the closest Twine idiom.
 */
final class Part17 {
    private Part17() {
    }

    private static Generator<Integer> myGenerator(Run run) {
        return new Generator<>(self -> {
            run.print("starting up");
            self.yield(1);
            run.print("workin'");
            self.yield(2);
            run.print("still workin'");
            self.yield(3);
            run.print("done");
        });
    }

    /** gen-1: a generator in a for loop. */
    static void gen1(Run run) {
        for (int n : myGenerator(run)) {
            run.print(n);
        }
    }

    /** gen-2: the same loop by hand, stopped by NoSuchElementException (Python's StopIteration). */
    static void gen2(Run run) {
        Generator<Integer> gen = myGenerator(run);
        while (true) {
            int n;
            try {
                n = gen.next();
            } catch (NoSuchElementException stop) {
                break;
            }
            run.print(n);
        }
    }

    /** gen-3: two generators run in turn, cooperatively. */
    static void gen3(Run run) {
        List<Generator<Integer>> gens = new ArrayList<>(List.of(
                new Generator<>(self -> {
                    self.yield(1);
                    self.yield(2);
                    self.yield(3);
                }),
                new Generator<>(self -> {
                    self.yield(10);
                    self.yield(20);
                    self.yield(30);
                    self.yield(40);
                })));
        while (!gens.isEmpty()) {
            for (Generator<Integer> g : List.copyOf(gens)) {
                int n;
                try {
                    n = g.next();
                } catch (NoSuchElementException stop) {
                    gens.remove(g);
                    continue;
                }
                run.print(n);
            }
        }
    }

    /** The exception gen-4 throws into its generator. */
    static final class Malfunction extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** gen-4: values sent into a generator, and an exception thrown into it. */
    static void gen4(Run run) {
        Generator<Integer> gen = new Generator<>(self -> {
            run.print("starting up");
            Object val = self.yield(1);
            run.print("got:", val);
            val = self.yield(2);
            run.print("got:", val);
            try {
                self.yield(3);
            } catch (Malfunction e) {
                run.print("malfunction!");
            }
            self.yield(4);
            run.print("done");
        });
        run.print(gen.next());
        run.print(gen.send(10));
        run.print(gen.send(20));
        run.print(gen.throwIn(new Malfunction()));
        try {
            gen.next();
        } catch (NoSuchElementException stop) {
            // the generator has finished, as expected
        }
    }

    /**
     * inline-callbacks-1: awaiting a fired Deferred returns at once (Python yields a plain value;
     * Java awaits {@code Deferred.succeed(1)}), an unfired one suspends the body, a failed one
     * throws at the await.
     */
    static void inlineCallbacks1(Run run) {
        Reactor reactor = run.reactor();
        ReactorTime clock = run.clock();
        reactor.callWhenRunning(() -> inlineCallbacks(() -> {
            run.print("first callback");
            Integer result = await(Deferred.succeed(1));
            run.print("second callback got", result);
            Deferred<Integer> d = new Deferred<>();
            clock.callLater(seconds(5), () -> d.callback(2));
            result = await(d);
            run.print("third callback got", result);
            Deferred<Integer> e = new Deferred<>();
            clock.callLater(seconds(5), () -> e.errback(new Exception("3")));
            Object caught;
            try {
                caught = await(e);
            } catch (Exception error) {
                caught = error;
            }
            run.print("fourth callback got", caught);
            reactor.stop();
            return null;
        }));
        reactor.run();
    }

    /** inline-callbacks-2: two bodies interleaved on the reactor; one returns a value, one throws. */
    static void inlineCallbacks2(Run run) {
        Reactor reactor = run.reactor();
        ReactorTime clock = run.clock();
        reactor.callWhenRunning(() -> {
            Deferred<Integer> d1 = inlineCallbacks(() -> {
                run.print("my_callbacks_1 first callback");
                await(later(clock, 2));
                run.print("my_callbacks_1 second callback");
                await(later(clock, 2));
                run.print("my_callbacks_1 third callback");
                return 1;
            });
            d1.addCallbacks(res -> gotResult(run, res), err -> gotError(run, err));
            Deferred<Integer> d2 = inlineCallbacks(() -> {
                run.print("my_callbacks_err first callback");
                await(later(clock, 3));
                run.print("my_callbacks_err second callback");
                await(later(clock, 3));
                run.print("my_callbacks_err third callback");
                throw new Exception("uh oh");
            });
            d2.addCallbacks(res -> gotResult(run, res), err -> gotError(run, err));
            int[] count = {0};
            for (Deferred<?> d : List.of(d1, d2)) {
                d.addVoidBoth((ignored, failure) -> {
                    count[0]++;
                    if (count[0] == 2) {
                        run.print("all done");
                        reactor.stop();
                    }
                });
            }
        });
        reactor.run();
    }

    /**
     * inline-callbacks-tb: the stack inside an inlineCallbacks body. In Twine the body runs on a
     * thread of its own (handed control by the reactor thread), so its stack starts at that
     * thread, not at {@code reactor.run()} as Python's does.
     */
    static void inlineCallbacksTb(Run run) {
        Reactor reactor = run.reactor();
        reactor.callWhenRunning(() -> inlineCallbacks(() -> {
            await(Deferred.succeed(1));
            Part3.printStack(run);
            reactor.stop();
            return null;
        }));
        reactor.run();
    }

    private static Deferred<Void> later(ReactorTime clock, double delay) {
        Deferred<Void> d = new Deferred<>();
        clock.callLater(seconds(delay), () -> d.callback(null));
        return d;
    }

    private static Object gotResult(Run run, Object res) {
        run.print("got result:", res);
        return null;
    }

    private static Object gotError(Run run, Object err) {
        run.print("got error:", err);
        return null;
    }
}
