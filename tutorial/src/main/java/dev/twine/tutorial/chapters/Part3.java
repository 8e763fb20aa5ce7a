package dev.twine.tutorial.chapters;

import static dev.twine.tutorial.chapters.Run.seconds;

import dev.twine.defer.Deferred;
import dev.twine.log.FileLogObserver;
import dev.twine.log.Log;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorTime;
import java.util.List;

/**
 * Part 3, "Our Eye-beams Begin to Twine": the reactor alone (basic-twisted/simple.py,
 * simple-poll.py, hello.py, stack.py, countdown.py, exception.py, log.py). In Twine a reactor is an object
 * made by a {@link dev.twine.reactor.ReactorProvider}, not a module-level global; the programs that
 * never stop the reactor run until Ctrl-C, as the originals do.
 */
final class Part3 {
    private Part3() {
    }

    /** simple: a reactor that runs and does nothing, until Ctrl-C. */
    static void simple(Run run) {
        run.reactor().run();
    }

    /**
     * simple-poll: the same on a reactor chosen by name. Twisted installs its poll reactor before
     * the first import of the reactor; Twine chooses a provider ({@code nio}, the built-in one, or
     * any other on the class path) before the reactor is made.
     */
    static void simplePoll(Run run) {
        run.reactor().run();
    }

    /** hello: a call made as soon as the reactor runs. */
    static void hello(Run run) {
        Reactor reactor = run.reactor();
        reactor.callWhenRunning(() -> {
            run.print("Hello from the reactor loop!");
            run.print("Lately I feel like I'm stuck in a rut.");
        });
        run.print("Starting the reactor.");
        reactor.run();
    }

    /** stack: the stack of a call the reactor makes: reactor.run() is at the bottom. */
    static void stack(Run run) {
        Reactor reactor = run.reactor();
        reactor.callWhenRunning(() -> {
            run.print("The Java stack:");
            printStack(run);
        });
        reactor.run();
    }

    /** Prints the caller's stack on standard error, innermost frame first (Java's order), as {@code traceback.print_stack}. */
    static void printStack(Run run) {
        List<StackWalker.StackFrame> frames = StackWalker.getInstance().walk(s -> s.skip(1).toList());
        StringBuilder text = new StringBuilder();
        for (StackWalker.StackFrame frame : frames) {
            text.append("\tat ").append(frame).append(System.lineSeparator());
        }
        run.console().err().print(text);
        run.console().err().flush();
    }

    /** countdown: a call that reschedules itself every second, then stops the reactor. */
    static void countdown(Run run) {
        Reactor reactor = run.reactor();
        ReactorTime clock = run.clock();
        int[] counter = {5};
        Runnable[] count = new Runnable[1];
        count[0] = () -> {
            if (counter[0] == 0) {
                reactor.stop();
            } else {
                run.print(counter[0], "...");
                counter[0]--;
                clock.callLater(seconds(1), count[0]);
            }
        };
        reactor.callWhenRunning(count[0]);
        run.print("Start!");
        reactor.run();
        run.print("Stop!");
    }

    /** exception: a call that throws is logged, and the reactor goes on to the next one. */
    static void exception(Run run) {
        Reactor reactor = run.reactor();
        reactor.callWhenRunning(() -> {
            throw new RuntimeException("I fall down.");
        });
        reactor.callWhenRunning(() -> {
            run.print("But I get up again.");
            reactor.stop();
        });
        run.print("Starting the reactor.");
        reactor.run();
    }

    /**
     * log: Twisted's logging basics on {@link Log}. Messages logged before {@code startLogging}
     * go nowhere; after it, each is a line {@code <time> [-] <message>}, and an error's traceback
     * follows its line, indented. Java has no {@code NameError}: the bad callback fails with the
     * NullPointerException of the variable it never set. The observer is removed when the program
     * ends (the original's lives until the interpreter exits).
     */
    static void log(Run run) {
        Log.msg("This will not be logged, we have not installed a logger.");
        FileLogObserver observer = Log.startLogging(run.console().out());
        try {
            Log.msg("This will be logged.");
            Log.err("This will be logged as an error.");
            try {
                badCallback(null);
            } catch (RuntimeException e) {
                Log.err("The next function call will log the traceback as an error.");
                Log.err(e, null);
            }
            Deferred<Object> d = new Deferred<>();
            d.addCallback(Part3::badCallback);
            d.addVoidErrback(failure -> {
                Log.err("The next function call will log the failure as an error.");
                Log.err(failure, null);
            });
            d.callback(true);
            Log.msg("End of example.");
        } finally {
            Log.removeObserver(observer);
        }
    }

    @SuppressWarnings("null")
    private static Object badCallback(Object result) {
        String xxx = null;
        return xxx.length();
    }
}
