package dev.twine.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.Deferred;
import dev.twine.defer.ErrorLog;
import dev.twine.defer.Failure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Twisted-shaped logging: events, observers, Twisted's line format, and ErrorLog's default feeding it. */
class LogTest {
    private static final Instant NOON = Instant.parse("2026-12-02T12:00:05Z");

    private final List<LogEvent> seen = new CopyOnWriteArrayList<>();
    private final LogObserver recorder = seen::add;
    private FileLogObserver started;

    @AfterEach
    void removeObservers() {
        Log.removeObserver(recorder);
        if (started != null) {
            Log.removeObserver(started);
            started.close();
        }
    }

    @Test
    void formatsAsTwistedsFileLogObserver() {
        FileLogObserver observer = new FileLogObserver(new ByteArrayOutputStream(), ZoneOffset.UTC);
        assertThat(observer.format(new LogEvent(NOON, "-", "This will be logged.", null, false)))
                .isEqualTo("2026-12-02 12:00:05+0000 [-] This will be logged.\n");
        assertThat(observer.format(new LogEvent(NOON, "fastpoetry", "two\nlines", null, false)))
                .isEqualTo("2026-12-02 12:00:05+0000 [fastpoetry] two\n\tlines\n");
        assertThat(new FileLogObserver(new ByteArrayOutputStream(), ZoneId.of("+05:30"))
                .format(new LogEvent(NOON, "-", "east", null, false)))
                .isEqualTo("2026-12-02 17:30:05+0530 [-] east\n");
    }

    @Test
    void anErrorIsTheWhyLineThenTheTracebackIndented() {
        FileLogObserver observer = new FileLogObserver(new ByteArrayOutputStream(), ZoneOffset.UTC);
        Failure failure = new Failure(new IllegalStateException("boom"));
        String text = observer.format(new LogEvent(NOON, "-", "It failed:", failure, true));
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo("2026-12-02 12:00:05+0000 [-] It failed:");
        assertThat(lines.get(1)).isEqualTo("\t" + failure.getTraceback().lines().findFirst().orElseThrow());
        assertThat(lines.subList(1, lines.size())).allMatch(line -> line.startsWith("\t"));
        assertThat(new LogEvent(NOON, "-", null, failure, true).text()).startsWith("Unhandled Error\n");
    }

    @Test
    void observersSeeEventsWhileAdded() {
        Log.msg("before");
        Log.addObserver(recorder);
        Log.msg("during");
        Log.system("poetry").msg("loaded");
        Log.err("an error without a failure");
        Log.removeObserver(recorder);
        Log.msg("after");
        assertThat(seen).extracting(LogEvent::system, LogEvent::message, LogEvent::isError).containsExactly(
                org.assertj.core.groups.Tuple.tuple("-", "during", false),
                org.assertj.core.groups.Tuple.tuple("poetry", "loaded", false),
                org.assertj.core.groups.Tuple.tuple("-", "an error without a failure", true));
    }

    @Test
    void aFailingObserverDoesNotStopTheOthers() {
        LogObserver broken = event -> {
            throw new IllegalStateException("broken observer");
        };
        Log.addObserver(broken);
        Log.addObserver(recorder);
        try {
            Log.msg("still delivered");
        } finally {
            Log.removeObserver(broken);
        }
        assertThat(seen).extracting(LogEvent::message).containsExactly("still delivered");
    }

    @Test
    void startLoggingWritesLogOpenedThenEachEvent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        started = Log.startLogging(out);
        Log.msg("This will be logged.");
        Log.err(new IllegalArgumentException("bad"), "The next line is the traceback.");
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        String stamp = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d[+-]\\d{4} ";
        assertThat(lines.get(0)).matches(stamp + "\\[-\\] Log opened\\.");
        assertThat(lines.get(1)).matches(stamp + "\\[-\\] This will be logged\\.");
        assertThat(lines.get(2)).matches(stamp + "\\[-\\] The next line is the traceback\\.");
        assertThat(lines.get(3)).isEqualTo("\tjava.lang.IllegalArgumentException: bad");
    }

    @Test
    void startLoggingToAFileAppends(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("twistd.log");
        Files.writeString(file, "an earlier line\n");
        started = Log.startLogging(file);
        Log.msg("appended");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("an earlier line");
        assertThat(lines.get(1)).endsWith(" [-] Log opened.");
        assertThat(lines.get(2)).endsWith(" [-] appended");
    }

    @Test
    void errorLogsDefaultFeedsTheLog() {
        Log.addObserver(recorder);
        Failure failure = new Failure(new IllegalStateException("raised by protocol code"));
        ErrorLog.current().err(failure, "Unhandled Error");
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).failure()).isSameAs(failure);
        assertThat(seen.get(0).isError()).isTrue();
        assertThat(seen.get(0).message()).isEqualTo("Unhandled Error");
    }

    @Test
    void aFailureLeftInADeferredIsReportedToTheLog() {
        Log.addObserver(recorder);
        Deferred<String> d = new Deferred<>();
        d.errback(new IllegalStateException("nobody handles this"));
        // The Deferred is charged to the log current when its chain ended on the Failure: the
        // default, Twine's log. What the collector would report, taken at once:
        ErrorLog log = ErrorLog.current();
        for (Failure unhandled : ErrorLog.takeUnhandled(log)) {
            log.err(unhandled, ErrorLog.UNHANDLED_IN_DEFERRED);
        }
        assertThat(seen).extracting(LogEvent::message).containsExactly("Unhandled error in Deferred:");
        assertThat(seen.get(0).failure().value()).hasMessage("nobody handles this");
    }
}
