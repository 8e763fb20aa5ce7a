package dev.twine.tutorial.chapters;

import static dev.twine.tutorial.chapters.Part.PART_10;
import static dev.twine.tutorial.chapters.Part.PART_11;
import static dev.twine.tutorial.chapters.Part.PART_12;
import static dev.twine.tutorial.chapters.Part.PART_13;
import static dev.twine.tutorial.chapters.Part.PART_14;
import static dev.twine.tutorial.chapters.Part.PART_16;
import static dev.twine.tutorial.chapters.Part.PART_17;
import static dev.twine.tutorial.chapters.Part.PART_18;
import static dev.twine.tutorial.chapters.Part.PART_19;
import static dev.twine.tutorial.chapters.Part.PART_2;
import static dev.twine.tutorial.chapters.Part.PART_3;
import static dev.twine.tutorial.chapters.Part.PART_4;
import static dev.twine.tutorial.chapters.Part.PART_5;
import static dev.twine.tutorial.chapters.Part.PART_6;
import static dev.twine.tutorial.chapters.Part.PART_7;
import static dev.twine.tutorial.chapters.Part.PART_8;
import static dev.twine.tutorial.chapters.Part.PART_9;

import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import dev.twine.tutorial.Console;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every program of {@code ./twine tutorial}, by chapter: the small programs defined here (run by
 * {@link #execute}), and the clients, proxies and service that have commands of their own.
 */
public final class Catalogue {

    /** What a program takes on its command line. */
    public enum Arguments {
        /** Nothing. */
        NONE,
        /** Poetry servers: {@code port} or {@code host:port}, one or more. */
        SERVERS,
        /** An optional reactor provider's name ({@code --reactor}). */
        REACTOR,
        /** The simulator's {@code --narrow}. */
        NARROW
    }

    /**
     * One program.
     *
     * @param name its name on the command line
     * @param part the chapter that shows it
     * @param original the original's file in the tutorial's repository (twisted-intro)
     * @param summary one sentence for --help
     * @param program the program, or {@code null} for those with a command of their own
     * @param arguments what it takes
     */
    public record Entry(String name, Part part, String original, String summary, Program program, Arguments arguments) {
        /** Checks the parts that must be there. */
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(part, "part");
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(arguments, "arguments");
        }

        /** Whether it is defined here, run by {@link Catalogue#execute}. */
        public boolean isSmall() {
            return program != null;
        }
    }

    /** Programs of the tutorial that Twine does not have, and why. */
    public static final Map<String, String> SKIPPED = skipped();

    private static final List<Entry> ENTRIES = build();

    private Catalogue() {
    }

    /** Every program, in chapter order. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    private static List<Entry> build() {
        List<Entry> all = new ArrayList<>();
        // Part 2
        small(all, "blocking-client", PART_2, "blocking-client/get-poetry.py",
                "The blocking client: one poem after the other, plain JDK sockets.", Part2::blockingClient, Arguments.SERVERS);
        small(all, "async-client", PART_2, "async-client/get-poetry.py",
                "The asynchronous client: all the poems at once, a hand-written loop on a JDK Selector (select).",
                Part2::asyncClient, Arguments.SERVERS);
        own(all, "client-race", PART_2, "(the chapter's comparison: both clients against three slow servers)");
        // Part 3
        small(all, "simple", PART_3, "basic-twisted/simple.py", "A reactor that runs and does nothing (Ctrl-C to stop).",
                Part3::simple, Arguments.NONE);
        small(all, "simple-poll", PART_3, "basic-twisted/simple-poll.py",
                "The same on a reactor chosen by name (Twisted installs its poll reactor; Twine picks a ReactorProvider). "
                        + "Ctrl-C to stop.", Part3::simplePoll, Arguments.REACTOR);
        small(all, "hello", PART_3, "basic-twisted/hello.py", "callWhenRunning: a call as soon as the reactor runs (Ctrl-C to stop).",
                Part3::hello, Arguments.NONE);
        small(all, "stack", PART_3, "basic-twisted/stack.py",
                "The Java stack of a call the reactor makes, printed on standard error (Ctrl-C to stop).", Part3::stack, Arguments.NONE);
        small(all, "countdown", PART_3, "basic-twisted/countdown.py", "callLater: counts down from 5, one a second, then stops.",
                Part3::countdown, Arguments.NONE);
        small(all, "exception", PART_3, "basic-twisted/exception.py",
                "A call that throws is logged and the reactor carries on.", Part3::exception, Arguments.NONE);
        small(all, "log", PART_3, "basic-twisted/log.py",
                "Logging basics: Log.msg, Log.err, startLogging on standard output, a Failure logged from an errback.",
                Part3::log, Arguments.NONE);
        // Parts 4-6, 8, 10, 12-14, 16-19: the poetry clients, proxies and service (commands of their own)
        own(all, "client-1.0", PART_4, "twisted-client-1/get-poetry.py");
        own(all, "client-2.0", PART_5, "twisted-client-2/get-poetry.py");
        own(all, "client-2.1", PART_5, "twisted-client-2/get-poetry-simple.py");
        own(all, "client-3.0", PART_6, "twisted-client-3/get-poetry.py");
        own(all, "client-3.1", PART_6, "twisted-client-3/get-poetry-1.py");
        // Part 7
        small(all, "defer-1", PART_7, "twisted-deferred/defer-1.py", "A Deferred fired with a value.", Part7::defer1, Arguments.NONE);
        small(all, "defer-2", PART_7, "twisted-deferred/defer-2.py", "A Deferred fired with a Failure.", Part7::defer2, Arguments.NONE);
        small(all, "defer-3", PART_7, "twisted-deferred/defer-3.py",
                "errback(exception): the errback gets it wrapped in a Failure.", Part7::defer3, Arguments.NONE);
        small(all, "defer-4", PART_7, "twisted-deferred/defer-4.py", "Two callbacks: AlreadyCalledException (exit 1).",
                Part7::defer4, Arguments.NONE);
        small(all, "defer-5", PART_7, "twisted-deferred/defer-5.py", "A callback then an errback: AlreadyCalledException (exit 1).",
                Part7::defer5, Arguments.NONE);
        small(all, "defer-6", PART_7, "twisted-deferred/defer-6.py", "Two errbacks: AlreadyCalledException (exit 1).",
                Part7::defer6, Arguments.NONE);
        small(all, "defer-7", PART_7, "twisted-deferred/defer-7.py", "An errback then a callback: AlreadyCalledException (exit 1).",
                Part7::defer7, Arguments.NONE);
        small(all, "defer-8", PART_7, "twisted-deferred/defer-8.py", "The reactor fires a Deferred; each half stops it.",
                Part7::defer8, Arguments.NONE);
        small(all, "defer-9", PART_7, "twisted-deferred/defer-9.py", "As defer-8, stopped once by addBoth.", Part7::defer9, Arguments.NONE);
        small(all, "defer-block", PART_7, "twisted-deferred/defer-block.py",
                "A callback that blocks blocks everything (about 13 seconds).", Part7::deferBlock, Arguments.NONE);
        small(all, "defer-unhandled", PART_7, "twisted-deferred/defer-unhandled.py",
                "A failure nobody handles: reported as \"Unhandled error in Deferred\" when the program ends.",
                Part7::deferUnhandled, Arguments.NONE);
        small(all, "failure-examples", PART_7, "twisted-failure/failure-examples.py",
                "Failures made from an exception, and from one caught.", Part7::failureExamples, Arguments.NONE);
        own(all, "client-4.0", PART_8, "twisted-client-4/get-poetry.py");
        small(all, "deferred-simulator", PART_9, "twisted-deferred/deferred-simulator.py",
                "Reads callback/errback pairs from standard input (up to a blank line), fires a real Deferred built from them "
                        + "both ways, and draws the paths. Example: printf 'r good f bad\\nf googly p\\n\\n' | "
                        + "./twine tutorial deferred-simulator", Part9::deferredSimulator, Arguments.NARROW);
        own(all, "client-5.0", PART_10, "twisted-client-5/get-poetry.py");
        own(all, "client-5.1", PART_10, "twisted-client-5/get-poetry-1.py");
        own(all, "slow-poetry", PART_2, "blocking-server/slowpoetry.py (on the reactor)");
        own(all, "fast-poetry", PART_11, "twisted-server-1/fastpoetry.py");
        own(all, "transform-server", PART_12, "twisted-server-1/transformedpoetry.py");
        own(all, "transform-client", PART_12, "(the transform server's protocol, twisted-server-3)");
        own(all, "client-6.0", PART_13, "twisted-client-6/get-poetry.py");
        // Part 13
        small(all, "defer-10", PART_13, "twisted-deferred/defer-10.py",
                "A callback that returns a Deferred pauses the outer chain (addDeferredCallback).", Part13::defer10, Arguments.NONE);
        small(all, "defer-11", PART_13, "twisted-deferred/defer-11.py",
                "Callbacks added to a fired Deferred run at once; pause() and unpause().", Part13::defer11, Arguments.NONE);
        own(all, "proxy", PART_14, "twisted-server-4/poetry-proxy.py (1.0, 2.0; 3.0 is Part 19's)");
        own(all, "fastpoetry", PART_16, "twisted-server-3/fastpoetry_plugin.py");
        // Part 17
        String noGenerators = " Java has no generators: the body is a Twine inlineCallbacks coroutine that yield() suspends,"
                + " the closest Twine idiom.";
        small(all, "gen-1", PART_17, "inline-callbacks/gen-1.py", "A generator in a for loop." + noGenerators, Part17::gen1, Arguments.NONE);
        small(all, "gen-2", PART_17, "inline-callbacks/gen-2.py",
                "The same loop by hand, ended by NoSuchElementException (StopIteration)." + noGenerators, Part17::gen2, Arguments.NONE);
        small(all, "gen-3", PART_17, "inline-callbacks/gen-3.py", "Two generators taking turns." + noGenerators, Part17::gen3,
                Arguments.NONE);
        small(all, "gen-4", PART_17, "inline-callbacks/gen-4.py", "send() and throw() into a generator." + noGenerators,
                Part17::gen4, Arguments.NONE);
        small(all, "inline-callbacks-1", PART_17, "inline-callbacks/inline-callbacks-1.py",
                "await: a fired Deferred, one that fires later, one that fails (about 10 seconds).",
                Part17::inlineCallbacks1, Arguments.NONE);
        small(all, "inline-callbacks-2", PART_17, "inline-callbacks/inline-callbacks-2.py",
                "Two inlineCallbacks bodies interleaved; one returns, one throws (about 6 seconds).",
                Part17::inlineCallbacks2, Arguments.NONE);
        small(all, "inline-callbacks-tb", PART_17, "inline-callbacks/inline-callbacks-tb.py",
                "The stack inside an inlineCallbacks body, on standard error: in Twine the body has a thread of its own.",
                Part17::inlineCallbacksTb, Arguments.NONE);
        own(all, "client-7.0", PART_17, "twisted-client-7/get-poetry.py");
        // Part 18
        small(all, "deferred-list-1", PART_18, "deferred-list/deferred-list-1.py", "An empty DeferredList fires at once.",
                Part18::deferredList1, Arguments.NONE);
        small(all, "deferred-list-2", PART_18, "deferred-list/deferred-list-2.py", "A DeferredList of one.",
                Part18::deferredList2, Arguments.NONE);
        small(all, "deferred-list-3", PART_18, "deferred-list/deferred-list-3.py", "Two members, fired in order.",
                Part18::deferredList3, Arguments.NONE);
        small(all, "deferred-list-4", PART_18, "deferred-list/deferred-list-4.py",
                "Two members fired out of order: the results keep the list's order.", Part18::deferredList4, Arguments.NONE);
        small(all, "deferred-list-5", PART_18, "deferred-list/deferred-list-5.py", "A member fails; CONSUME_ERRORS.",
                Part18::deferredList5, Arguments.NONE);
        small(all, "deferred-list-6", PART_18, "deferred-list/deferred-list-6.py",
                "A member fails, unhandled: reported when the program ends.", Part18::deferredList6, Arguments.NONE);
        small(all, "deferred-list-7", PART_18, "deferred-list/deferred-list-7.py", "The failing member handles its own error.",
                Part18::deferredList7, Arguments.NONE);
        own(all, "client-8.0", PART_18, "twisted-client-8/get-poetry.py");
        // Part 19
        small(all, "defer-cancel-1", PART_19, "deferred-cancel/defer-cancel-1.py",
                "Cancelled with no errback: the CancelledException is unhandled.", Part19::deferCancel1, Arguments.NONE);
        small(all, "defer-cancel-2", PART_19, "deferred-cancel/defer-cancel-2.py", "Cancelled: the errback gets CancelledException.",
                Part19::deferCancel2, Arguments.NONE);
        small(all, "defer-cancel-3", PART_19, "deferred-cancel/defer-cancel-3.py", "Cancelling a fired Deferred does nothing.",
                Part19::deferCancel3, Arguments.NONE);
        small(all, "defer-cancel-4", PART_19, "deferred-cancel/defer-cancel-4.py",
                "A result that comes after cancel() is dropped.", Part19::deferCancel4, Arguments.NONE);
        small(all, "defer-cancel-5", PART_19, "deferred-cancel/defer-cancel-5.py", "A canceller that does not fire the Deferred.",
                Part19::deferCancel5, Arguments.NONE);
        small(all, "defer-cancel-6", PART_19, "deferred-cancel/defer-cancel-6.py", "A canceller that fires it with a result.",
                Part19::deferCancel6, Arguments.NONE);
        small(all, "defer-cancel-7", PART_19, "deferred-cancel/defer-cancel-7.py", "A canceller that fires it with an error.",
                Part19::deferCancel7, Arguments.NONE);
        small(all, "defer-cancel-8", PART_19, "deferred-cancel/defer-cancel-8.py", "A fired Deferred's canceller is not called.",
                Part19::deferCancel8, Arguments.NONE);
        small(all, "defer-cancel-9", PART_19, "deferred-cancel/defer-cancel-9.py", "A poem five seconds later (runs 10 seconds).",
                Part19::deferCancel9, Arguments.NONE);
        small(all, "defer-cancel-10", PART_19, "deferred-cancel/defer-cancel-10.py",
                "Cancelled at 2 s with no canceller: the poem is still sent at 5 s (runs 10 seconds).",
                Part19::deferCancel10, Arguments.NONE);
        small(all, "defer-cancel-11", PART_19, "deferred-cancel/defer-cancel-11.py",
                "Cancelled at 2 s; the canceller stops the delayed call (runs 10 seconds).", Part19::deferCancel11, Arguments.NONE);
        small(all, "defer-cancel-12", PART_19, "deferred-cancel/defer-cancel-12.py",
                "Cancelling an outer Deferred cancels the inner one it waits on.", Part19::deferCancel12, Arguments.NONE);
        all.sort(Comparator.comparingInt(entry -> entry.part().ordinal()));
        return List.copyOf(all);
    }

    private static void small(List<Entry> all, String name, Part part, String original, String summary, Program program,
            Arguments arguments) {
        all.add(new Entry(name, part, original, summary, program, arguments));
    }

    private static void own(List<Entry> all, String name, Part part, String original) {
        all.add(new Entry(name, part, original, "(a command of its own)", null, Arguments.NONE));
    }

    private static Map<String, String> skipped() {
        Map<String, String> skipped = new LinkedHashMap<>();
        skipped.put("twisted-client-1/get-poetry-broken.py, twisted-client-2/get-poetry-stack.py, "
                + "twisted-client-4/get-poetry-stack.py", "variants shown in the chapters for their tracebacks; "
                + "stack prints the reactor's stack as they do");
        skipped.put("erlang-client-1, haskell-client-1, haskell-client-2 (Parts 20, 21)", "not Python: nothing to port to Java");
        return skipped;
    }

    /** The program called {@code name}, if there is one. */
    public static Optional<Entry> find(String name) {
        return entries().stream().filter(entry -> entry.name().equals(name)).findFirst();
    }

    /** The listing {@code ./twine tutorial --list} prints: every program under its chapter, and what is missing. */
    public static String listing() {
        StringBuilder text = new StringBuilder();
        Part current = null;
        for (Entry entry : entries()) {
            if (entry.part() != current) {
                current = entry.part();
                text.append(text.length() == 0 ? "" : "\n").append(current).append('\n');
            }
            text.append(String.format("  %-20s %s%n", entry.name(), entry.original()));
        }
        text.append("\nNot on Twine:\n");
        SKIPPED.forEach((original, why) -> text.append("  ").append(original).append(": ").append(why).append('\n'));
        return text.toString();
    }

    /**
     * Runs a small program and returns its exit status. Errors the program's reactor logs, and
     * Failures left unhandled in Deferreds, go to its console's standard error. An exception that
     * escapes the program is printed as the JVM prints an uncaught one, and makes the status 1.
     * When it has ended, the Failures its Deferreds still hold unhandled are reported ("Unhandled
     * error in Deferred:"), as Twisted reports them when the Deferreds are garbage-collected, at the
     * latest when the interpreter exits. Twine would report them on garbage collection or at JVM
     * exit; they are taken here instead ({@link ErrorLog#takeUnhandled}), so that the report comes
     * right after the program's last line, on its console, whether the JVM exits or (in a test)
     * goes on, and never twice.
     */
    public static int execute(Entry entry, Run run) {
        Objects.requireNonNull(entry.program(), () -> entry.name() + " has a command of its own");
        Console console = run.console();
        ErrorLog log = (failure, why) -> {
            if (why != null) {
                console.errln(why);
            }
            console.err().print(failure.getTraceback());
            console.err().flush();
        };
        int status = 0;
        try (ErrorLog.Binding ignored = ErrorLog.bind(log)) {
            try {
                entry.program().run(run);
            } catch (Throwable e) {
                console.err().print("Exception in thread \"" + Thread.currentThread().getName() + "\" ");
                console.err().print(new Failure(e).getTraceback());
                console.err().flush();
                status = 1;
            } finally {
                for (Failure unhandled : ErrorLog.takeUnhandled(log)) {
                    log.err(unhandled, ErrorLog.UNHANDLED_IN_DEFERRED);
                }
            }
        }
        return status;
    }
}
