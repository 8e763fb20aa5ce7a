package dev.twine.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Failures left unhandled in garbage: DEF-27, and the error log behind it. */
class UnhandledErrorTest {

    /** What the log received: the why line and the failure. */
    record Logged(String why, Failure failure) {
    }

    private final List<Logged> logged = new CopyOnWriteArrayList<>();
    private final ErrorLog.Binding binding = ErrorLog.bind((failure, why) -> logged.add(new Logged(why, failure)));

    @AfterEach
    void unbind() {
        binding.close();
    }

    @Test
    @DisplayName("DEF-27 a Deferred collected while holding a Failure reports 'Unhandled error in Deferred:' with the trace")
    void garbageWithFailureIsReported() {
        dropFailedDeferred("dropped on the floor");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ErrorLog.reportGarbage();
            assertThat(messages()).contains("dropped on the floor");
        });
        Logged entry = find("dropped on the floor");
        assertThat(entry.why()).isEqualTo("Unhandled error in Deferred:");
        assertThat(entry.failure().getTraceback())
                .contains("java.io.IOException: dropped on the floor")
                .contains("dropFailedDeferred");
    }

    @Test
    @DisplayName("DEF-27 a callback that throws and is never handled reaches the error log")
    void throwingCallbackIsNeverSwallowed() {
        dropDeferredWhoseCallbackThrows();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ErrorLog.reportGarbage();
            assertThat(messages()).contains("callback blew up");
        });
    }

    @Test
    @DisplayName("DEF-27 handled failures, consumed DeferredList members and inner Deferreds that handed over are not reported")
    void handledFailuresAreNotReported() {
        dropHandledFailures();
        dropFailedDeferred("the sentinel");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ErrorLog.reportGarbage();
            assertThat(messages()).contains("the sentinel");
        });
        ErrorLog.reportGarbage();
        assertThat(messages()).containsExactly("the sentinel");
    }

    @Test
    void aFailureHandledAfterTheChainEndedIsNotReported() {
        Deferred<String> d = Deferred.fail(new IOException("handled late"));
        d.addErrback(f -> "fine");
        d = null;
        dropFailedDeferred("sentinel two");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ErrorLog.reportGarbage();
            assertThat(messages()).contains("sentinel two");
        });
        assertThat(messages()).doesNotContain("handled late");
    }

    @Test
    void takeUnhandledFindsFailuresStillHeldWithoutWaitingForTheCollector() {
        ErrorLog mine = (failure, why) -> { };
        Deferred<String> kept;
        try (ErrorLog.Binding ignored = ErrorLog.bind(mine)) {
            kept = Deferred.fail(new IOException("still held"));
            Deferred.fail(new IOException("handled")).addErrback(f -> null);
        }
        Deferred<String> elsewhere = Deferred.fail(new IOException("another log's"));
        assertThat(ErrorLog.takeUnhandled(mine)).extracting(Failure::getErrorMessage).containsExactly("still held");
        assertThat(ErrorLog.takeUnhandled(mine)).as("taken once").isEmpty();
        assertThat(kept.isCalled()).isTrue();
        elsewhere.addErrback(f -> null);
    }

    @Test
    void standardErrorLogPrintsWhyAndTraceback() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ErrorLog.standardError().err(new Failure(new IllegalStateException("printed")), "Context line:");
        } finally {
            System.setErr(original);
        }
        // System.err is the process's: another thread (the cleaner reporting an earlier test's garbage)
        // may print while it is captured, so the block is looked for, not expected first. It is one
        // print, so it is never interleaved.
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Context line:" + System.lineSeparator() + "java.lang.IllegalStateException: printed")
                .contains("at dev.twine.defer.UnhandledErrorTest");
    }

    @Test
    void bindingsNestAndRestore() {
        List<String> outer = new CopyOnWriteArrayList<>();
        List<String> inner = new CopyOnWriteArrayList<>();
        try (ErrorLog.Binding a = ErrorLog.bind((f, why) -> outer.add(f.getErrorMessage()))) {
            try (ErrorLog.Binding b = ErrorLog.bind((f, why) -> inner.add(f.getErrorMessage()))) {
                ErrorLog.current().err(new Failure(new IOException("to inner")), null);
            }
            ErrorLog.current().err(new Failure(new IOException("to outer")), null);
        }
        assertThat(inner).containsExactly("to inner");
        assertThat(outer).containsExactly("to outer");
    }

    private List<String> messages() {
        return logged.stream().map(l -> l.failure().getErrorMessage()).toList();
    }

    private Logged find(String message) {
        return logged.stream().filter(l -> l.failure().getErrorMessage().equals(message)).findFirst().orElseThrow();
    }

    private static void dropFailedDeferred(String message) {
        Deferred<String> d = new Deferred<>();
        d.errback(new IOException(message));
    }

    private static void dropDeferredWhoseCallbackThrows() {
        Deferred.succeed("x").addCallback(s -> {
            throw new IllegalStateException("callback blew up");
        });
    }

    private static void dropHandledFailures() {
        Deferred.fail(new IOException("handled")).addErrback(f -> null);
        Deferred<String> member = new Deferred<>();
        DeferredList.of(List.of(member), DeferredList.Option.CONSUME_ERRORS);
        member.errback(new IOException("consumed by the list"));
        Deferred<String> inner = new Deferred<>();
        Deferred.succeed("x").addDeferredCallback(s -> inner).addErrback(f -> "outer handled it");
        inner.errback(new IOException("handed to the outer"));
        Deferred.fail(new IOException("converted")).toCompletableFuture();
    }
}
