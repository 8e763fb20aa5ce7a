package dev.twine.tutorial.chapters;

import static dev.twine.tutorial.chapters.Run.seconds;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.reactor.Reactor;
import java.lang.ref.Reference;

/**
 * Part 7, "An Interlude, Deferred": a Deferred on its own, with no reactor and no network
 * (twisted-deferred/defer-1.py … defer-9.py, defer-block.py, defer-unhandled.py), and Failures
 * (twisted-failure/failure-examples.py).
 */
final class Part7 {
    private Part7() {
    }

    /** defer-1: a callback/errback pair, fired with a value. */
    static void defer1(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(poem -> gotPoem(run, poem), failure -> poemFailed(run));
        d.callback("This poem is short.");
        run.print("Finished");
    }

    /** defer-2: the same pair, fired with an error. */
    static void defer2(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(poem -> gotPoem(run, poem), failure -> poemFailed(run));
        d.errback(new Failure(new Exception("I have failed.")));
        run.print("Finished");
    }

    /** defer-3: errback gets a plain exception; the errback receives it wrapped in a Failure. */
    static void defer3(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(poem -> gotPoem(run, poem), failure -> {
            run.print(failure.getClass());
            run.print(failure);
            run.print("No poetry for you.");
            return null;
        });
        d.errback(new Exception("I have failed."));
    }

    /** defer-4: firing twice is an error (AlreadyCalledException ends the program). */
    static void defer4(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(value -> out(run, value), failure -> out(run, failure));
        d.callback("First result");
        d.callback("Second result");
        run.print("Finished");
    }

    /** defer-5: a callback then an errback. */
    static void defer5(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(value -> out(run, value), failure -> out(run, failure));
        d.callback("First result");
        d.errback(new Exception("First error"));
        run.print("Finished");
    }

    /** defer-6: two errbacks. */
    static void defer6(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(value -> out(run, value), failure -> out(run, failure));
        d.errback(new Exception("First error"));
        d.errback(new Exception("Second error"));
        run.print("Finished");
    }

    /** defer-7: an errback then a callback. */
    static void defer7(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(value -> out(run, value), failure -> out(run, failure));
        d.errback(new Exception("First error"));
        d.callback("First result");
        run.print("Finished");
    }

    /** defer-8: the reactor fires the Deferred; each half of the pair stops the reactor. */
    static void defer8(Run run) {
        Reactor reactor = run.reactor();
        Deferred<String> d = new Deferred<>();
        d.addVoidCallbacks(poem -> {
            run.print(poem);
            reactor.stop();
        }, failure -> {
            sorry(run);
            reactor.stop();
        });
        reactor.callWhenRunning(() -> d.callback("Another short poem."));
        reactor.run();
    }

    /** defer-9: as defer-8, the reactor stopped once, by an addBoth step at the end of the chain. */
    static void defer9(Run run) {
        Reactor reactor = run.reactor();
        Deferred<String> d = new Deferred<>();
        d.addVoidCallbacks(poem -> {
            run.print(poem);
        }, failure -> {
            sorry(run);
        }).addVoidBoth((ignored, failure) -> {
            reactor.stop();
        });
        reactor.callWhenRunning(() -> d.callback("Another short poem."));
        reactor.run();
    }

    /** defer-block: a callback that blocks blocks the chain, the caller of callback(), and the reactor. */
    static void deferBlock(Run run) {
        Reactor reactor = run.reactor();
        Deferred<Boolean> d = new Deferred<>();
        d.addVoidCallback(ignored -> {
            run.print("The start of the callback chain.");
        }).addVoidCallback(ignored -> {
            blockingPoem(run);
        }).addVoidCallback(ignored -> {
            run.print("The end of the callback chain.");
            reactor.stop();
        });
        reactor.callWhenRunning(() -> {
            run.print("Firing deferred.");
            d.callback(true);
            run.print("Firing finished.");
        });
        run.print("Starting reactor.");
        reactor.run();
        run.print("Done.");
    }

    private static void blockingPoem(Run run) throws InterruptedException {
        String[] pieces = {"\n", "I", " block", "\n  and", " the", " deferred", "\n  blocks", " with", " me", "\nas does",
            "\n the reactor", "\nkeep that", "\n factor", "\nin", " mind", "\n\n"};
        double[] delays = {0, .6, .4, 1, .4, .6, 1.5, .2, .2, 1, .6, 1, .6, 1, .4, 2};
        for (int i = 0; i < pieces.length; i++) {
            run.sleep(seconds(delays[i]));
            run.write(pieces[i]);
        }
    }

    /**
     * defer-unhandled: a callback throws and nothing handles it. Twisted reports the Failure when
     * the Deferred is garbage-collected, at the latest at exit; the runner reports what is still
     * unhandled when the program ends (so the Deferred is kept reachable until then).
     */
    static void deferUnhandled(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallback(result -> {
            throw new Exception("oops");
        });
        d.callback("Here is your result.");
        run.print("Finished");
        Reference.reachabilityFence(d);
    }

    /** A checked exception of the poem's own, as the original declares one. */
    static final class RhymeSchemeViolation extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /**
     * failure-examples: a Failure made from an exception, and one made from an exception caught.
     * In Java every exception carries its stack trace from where it was made, so both Failures
     * print the same way; {@link Failure#getTraceback()} shows the frames.
     */
    static void failureExamples(Run run) {
        run.print("Just making an exception:");
        run.print();
        Failure failure = new Failure(new RhymeSchemeViolation());
        run.print(failure);
        run.print();
        run.print();
        run.print("Catching an exception:");
        run.print();
        try {
            analyzePoem("Roses are red.\nViolets are violet.\nThat's why they're called Violets.\nDuh.\n");
        } catch (RhymeSchemeViolation e) {
            failure = new Failure(e);
        }
        run.print(failure);
    }

    private static void analyzePoem(String poem) throws RhymeSchemeViolation {
        throw new RhymeSchemeViolation();
    }

    private static Object gotPoem(Run run, String poem) {
        run.print("Your poem is served:");
        run.print(poem);
        return null;
    }

    private static Object poemFailed(Run run) {
        run.print("No poetry for you.");
        return null;
    }

    private static Object out(Run run, Object value) {
        run.print(value);
        return null;
    }

    private static void sorry(Run run) {
        run.printErr("poem download failed");
        run.printErr("I am terribly sorry");
        run.printErr("try again later?");
    }
}
