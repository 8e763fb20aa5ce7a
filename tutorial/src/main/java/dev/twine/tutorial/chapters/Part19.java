package dev.twine.tutorial.chapters;

import static dev.twine.tutorial.chapters.Run.seconds;

import dev.twine.defer.Deferred;
import dev.twine.reactor.DelayedCall;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorTime;
import java.lang.ref.Reference;

/**
 * Part 19, "I'd Like to Take it Back": cancelling Deferreds (deferred-cancel/defer-cancel-1.py …
 * -12.py). Twine's {@link dev.twine.defer.CancelledException} is Twisted's CancelledError.
 */
final class Part19 {
    private Part19() {
    }

    private static Object callback(Run run, Object res) {
        run.print("callback got:", res);
        return null;
    }

    private static Object errback(Run run, Object err) {
        run.print("errback got:", err);
        return null;
    }

    /** defer-cancel-1: cancelled with no errback: the CancelledException is unhandled (reported at the end). */
    static void deferCancel1(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallback(res -> callback(run, res));
        d.cancel();
        run.print("done");
        Reference.reachabilityFence(d);
    }

    /** defer-cancel-2: cancelled, the errback gets the CancelledException. */
    static void deferCancel2(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(res -> callback(run, res), err -> errback(run, err));
        d.cancel();
        run.print("done");
    }

    /** defer-cancel-3: cancelling a fired Deferred does nothing. */
    static void deferCancel3(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(res -> callback(run, res), err -> errback(run, err));
        d.callback("result");
        d.cancel();
        run.print("done");
    }

    /** defer-cancel-4: the result that comes after a cancel (no canceller) is dropped, not an error. */
    static void deferCancel4(Run run) {
        Deferred<String> d = new Deferred<>();
        d.addCallbacks(res -> callback(run, res), err -> errback(run, err));
        d.cancel();
        d.callback("result");
        run.print("done");
    }

    /** defer-cancel-5: a canceller that does not fire the Deferred: it fails with CancelledException. */
    static void deferCancel5(Run run) {
        Deferred<String> d = new Deferred<>(self -> run.print("I need to cancel this deferred:", self));
        d.addCallbacks(res -> callback(run, res), err -> errback(run, err));
        d.cancel();
        run.print("done");
    }

    /** defer-cancel-6: a canceller that fires the Deferred with a result. */
    static void deferCancel6(Run run) {
        Deferred<String> d = new Deferred<>(self -> {
            run.print("I need to cancel this deferred:", self);
            run.print("Firing the deferred with a result");
            self.callback("result");
        });
        d.addCallbacks(res -> callback(run, res), err -> errback(run, err));
        d.cancel();
        run.print("done");
    }

    /** defer-cancel-7: a canceller that fires the Deferred with an error. */
    static void deferCancel7(Run run) {
        Deferred<String> d = new Deferred<>(self -> {
            run.print("I need to cancel this deferred:", self);
            run.print("Firing the deferred with an error");
            self.errback(new Exception("error!"));
        });
        d.addCallbacks(res -> callback(run, res), err -> errback(run, err));
        d.cancel();
        run.print("done");
    }

    /** defer-cancel-8: a fired Deferred is not cancelled: its canceller is not called. */
    static void deferCancel8(Run run) {
        Deferred<String> d = new Deferred<>(self -> run.print("I need to cancel this deferred:", self));
        d.addCallbacks(res -> callback(run, res), err -> errback(run, err));
        d.callback("result");
        d.cancel();
        run.print("done");
    }

    /** A poem 5 seconds later; with {@code cancellable}, cancelling stops the delayed call (defer-cancel-11). */
    private static Deferred<String> getPoem(Run run, ReactorTime clock, boolean cancellable) {
        DelayedCall[] delayedCall = new DelayedCall[1];
        Deferred<String> d = cancellable ? new Deferred<>(self -> delayedCall[0].cancel()) : new Deferred<>();
        delayedCall[0] = clock.callLater(seconds(5), () -> {
            run.print("Sending poem");
            d.callback("Once upon a midnight dreary");
        });
        return d;
    }

    private static void poemProgram(Run run, boolean cancelAfter2, boolean cancellable) {
        Reactor reactor = run.reactor();
        ReactorTime clock = run.clock();
        clock.callLater(seconds(10), reactor::stop);
        Deferred<String> d = getPoem(run, clock, cancellable);
        d.addVoidCallbacks(poem -> {
            run.print("I got a poem:", poem);
        }, err -> {
            run.print("get_poem failed:", err);
        });
        if (cancelAfter2) {
            clock.callLater(seconds(2), d::cancel);
        }
        reactor.run();
    }

    /** defer-cancel-9: a poem 5 seconds later; the reactor stops at 10. */
    static void deferCancel9(Run run) {
        poemProgram(run, false, false);
    }

    /** defer-cancel-10: cancelled at 2 seconds with no canceller: the poem is still "sent" at 5, and dropped. */
    static void deferCancel10(Run run) {
        poemProgram(run, true, false);
    }

    /** defer-cancel-11: cancelled at 2 seconds; the canceller stops the delayed call, so nothing is sent. */
    static void deferCancel11(Run run) {
        poemProgram(run, true, true);
    }

    /** defer-cancel-12: cancelling an outer Deferred that waits on an inner one cancels the inner one. */
    static void deferCancel12(Run run) {
        Deferred<String> innerD = new Deferred<>(d -> run.print("inner cancel callback."));
        Deferred<String> outerD = new Deferred<>(d -> run.print("outer cancel callback."));
        outerD.addDeferredCallback(res -> {
            run.print("first outer callback, returning inner deferred");
            return innerD;
        }).addVoidCallbacks(res -> {
            run.print("second outer callback got:", res);
        }, err -> {
            run.print("outer errback got:", err);
        });
        outerD.callback("result");
        run.print("canceling outer deferred.");
        outerD.cancel();
        run.print("done");
    }
}
