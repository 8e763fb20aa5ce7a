package dev.twine.tutorial.chapters;

import dev.twine.defer.Deferred;

/**
 * Part 13, "Deferred All The Way Down": a callback that returns a Deferred pauses the outer chain
 * (twisted-deferred/defer-10.py), and Deferreds fired before their callbacks are added, or
 * paused (defer-11.py). In Twine a step that returns a Deferred is added with {@code
 * addDeferredCallback}: the type says the chain will wait.
 */
final class Part13 {
    private Part13() {
    }

    /** The inner Deferred, fired "from the outside" as the original does (never do this in a real program). */
    private static Deferred<Integer> deferred2;

    static void defer10(Run run) {
        run.print("""

                This example illustrates how callbacks in a deferred
                chain can return deferreds themselves.
                """);
        Deferred<Integer> d = new Deferred<>();
        d.addCallback(res -> callback(run, 1, res, 1))
                .addCallback(res -> callback(run, 2, res, 2))
                .addCallback(res -> callback(run, 3, res, 3));
        run.print("""

                Here we are firing a deferred with three callbacks that just print
                their argument and return simple values:
                """);
        d.callback(0);

        Deferred<Integer> again = new Deferred<>();
        again.addCallback(res -> callback(run, 1, res, 1))
                .addDeferredCallback(res -> {
                    run.print("callback_2 got", res);
                    deferred2 = new Deferred<>();
                    return deferred2;
                })
                .addCallback(res -> callback(run, 3, res, 3));
        run.print("""

                Here we are firing a deferred as above but the middle callback is
                returning a deferred:
                """);
        again.callback(0);
        run.print("""

                Notice the output from the third callback is missing. That's because
                the second callback returned a deferred and now the 'outer' deferred
                is paused. It's not waiting in a thread or anything like that, it just
                stopped invoking the callbacks in the chain. Instead, it registered
                some callbacks on the 'inner' deferred which will start the outer
                deferred back up when the inner deferred is fired.

                We can see this in action by firing the inner deferred:
                """);
        deferred2.callback(2);
        run.print("""

                Note the argument to the inner deferred's callback() method became
                the result passed to the next callback in the outer deferred.
                """);
    }

    static void defer11(Run run) {
        run.print("""
                This example illustrates how deferreds can
                be fired before they are returned. First we
                make a new deferred, fire it, then add some
                callbacks.
                """);
        Deferred<Integer> d = new Deferred<>();
        run.print("Firing empty deferred.");
        d.callback(0);
        run.print("Adding first callback.");
        Deferred<Integer> chain = d.addCallback(res -> callback(run, 1, res, 1));
        run.print("Adding second callback.");
        chain = chain.addCallback(res -> callback(run, 2, res, 2));
        run.print("Adding third callback.");
        chain.addCallback(res -> callback(run, 3, res, 3));
        run.print("""

                Because the deferred was already fired, it
                invoked each callback as soon as it was added.

                Now we create a deferred and fire it, but
                pause it first with the pause() method.
                """);
        Deferred<Integer> paused = new Deferred<>();
        run.print("Pausing, then firing deferred.");
        paused.pause();
        paused.callback(0);
        run.print("Adding callbacks.");
        paused.addCallback(res -> callback(run, 1, res, 1))
                .addCallback(res -> callback(run, 2, res, 2))
                .addCallback(res -> callback(run, 3, res, 3));
        run.print("Unpausing the deferred.");
        paused.unpause();
    }

    private static Integer callback(Run run, int number, Integer res, int returns) {
        run.print("callback_" + number + " got", res);
        return returns;
    }
}
