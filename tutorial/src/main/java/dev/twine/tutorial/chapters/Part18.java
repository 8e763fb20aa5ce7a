package dev.twine.tutorial.chapters;

import dev.twine.defer.Deferred;
import dev.twine.defer.DeferredList;
import dev.twine.defer.Outcome;
import java.lang.ref.Reference;
import java.util.List;

/**
 * Part 18, "Deferreds En Masse": DeferredList (deferred-list/deferred-list-1.py … -7.py). Twine's
 * {@link DeferredList#of} fires with a list of {@link Outcome}s, printed {@code (true, value)} or
 * {@code (false, failure)} as Twisted prints its {@code (success, result)} pairs.
 */
final class Part18 {
    private Part18() {
    }

    private static Object gotResults(Run run, List<? extends Outcome<?>> res) {
        run.print("We got:", res);
        return null;
    }

    /** deferred-list-1: an empty list fires at once. */
    static void deferredList1(Run run) {
        run.print("Empty List.");
        Deferred<List<Outcome<String>>> d = DeferredList.of(List.<Deferred<String>>of());
        run.print("Adding Callback.");
        d.addCallback(res -> gotResults(run, res));
    }

    /** deferred-list-2: one member. */
    static void deferredList2(Run run) {
        run.print("One Deferred.");
        Deferred<String> d1 = new Deferred<>();
        Deferred<List<Outcome<String>>> d = DeferredList.of(List.of(d1));
        run.print("Adding Callback.");
        d.addCallback(res -> gotResults(run, res));
        run.print("Firing d1.");
        d1.callback("d1 result");
    }

    /** deferred-list-3: two members, fired in order. */
    static void deferredList3(Run run) {
        twoDeferreds(run, false);
    }

    /** deferred-list-4: two members fired out of order; the results keep the list's order. */
    static void deferredList4(Run run) {
        twoDeferreds(run, true);
    }

    private static void twoDeferreds(Run run, boolean secondFirst) {
        run.print("Two Deferreds.");
        Deferred<String> d1 = new Deferred<>();
        Deferred<String> d2 = new Deferred<>();
        Deferred<List<Outcome<String>>> d = DeferredList.of(List.of(d1, d2));
        run.print("Adding Callback.");
        d.addCallback(res -> gotResults(run, res));
        if (secondFirst) {
            run.print("Firing d2.");
            d2.callback("d2 result");
            run.print("Firing d1.");
            d1.callback("d1 result");
        } else {
            run.print("Firing d1.");
            d1.callback("d1 result");
            run.print("Firing d2.");
            d2.callback("d2 result");
        }
    }

    /** deferred-list-5: a member fails; CONSUME_ERRORS handles its Failure. */
    static void deferredList5(Run run) {
        Deferred<String> d1 = new Deferred<>();
        Deferred<String> d2 = new Deferred<>();
        Deferred<List<Outcome<String>>> d = DeferredList.of(List.of(d1, d2), DeferredList.Option.CONSUME_ERRORS);
        d.addCallback(res -> gotResults(run, res));
        run.print("Firing d1.");
        d1.callback("d1 result");
        run.print("Firing d2 with errback.");
        d2.errback(new Exception("d2 failure"));
    }

    /**
     * deferred-list-6: a member fails and nothing handles it: the list reports it, and the member
     * still holds its Failure, reported as unhandled when the program ends (Twisted: when the
     * member is garbage-collected at exit).
     */
    static void deferredList6(Run run) {
        Deferred<String> d1 = new Deferred<>();
        Deferred<String> d2 = new Deferred<>();
        Deferred<List<Outcome<String>>> d = DeferredList.of(List.of(d1, d2));
        d.addCallback(res -> gotResults(run, res));
        run.print("Firing d1.");
        d1.callback("d1 result");
        run.print("Firing d2 with errback.");
        d2.errback(new Exception("d2 failure"));
        Reference.reachabilityFence(d2);
    }

    /** deferred-list-7: the failing member handles its own error, after the list's step. */
    static void deferredList7(Run run) {
        Deferred<String> d1 = new Deferred<>();
        Deferred<String> d2 = new Deferred<>();
        Deferred<List<Outcome<String>>> d = DeferredList.of(List.of(d1, d2));
        d2.addVoidErrback(err -> { });
        d.addCallback(res -> gotResults(run, res));
        run.print("Firing d1.");
        d1.callback("d1 result");
        run.print("Firing d2 with errback.");
        d2.errback(new Exception("d2 failure"));
    }
}
