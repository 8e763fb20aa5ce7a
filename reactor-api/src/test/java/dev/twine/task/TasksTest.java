package dev.twine.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.CancelledException;
import dev.twine.defer.Deferred;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TasksTest {
    private final Clock clock = new Clock();

    @Test
    void deferLaterCallsTheWorkAfterTheDelay() {
        int[] calls = {0};
        Deferred<String> d = Tasks.deferLater(clock, Duration.ofSeconds(2), () -> {
            calls[0]++;
            return "later";
        });
        clock.advance(Duration.ofSeconds(1));
        assertThat(calls[0]).isZero();
        assertThat(d.isCalled()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(calls[0]).isEqualTo(1);
        String[] value = new String[1];
        d.addCallback(v -> value[0] = v);
        assertThat(value[0]).isEqualTo("later");
    }

    @Test
    void deferLaterFailsWithTheWorksException() {
        Deferred<String> d = Tasks.deferLater(clock, Duration.ofSeconds(1), () -> {
            throw new IOException("work failed");
        });
        clock.advance(Duration.ofSeconds(1));
        Throwable[] error = new Throwable[1];
        d.addVoidErrback(f -> {
            error[0] = f.value();
        });
        assertThat(error[0]).isInstanceOf(IOException.class);
    }

    @Test
    void cancellingDeferLaterCancelsTheCall() {
        int[] calls = {0};
        Deferred<Void> d = Tasks.deferLater(clock, Duration.ofSeconds(1), () -> {
            calls[0]++;
            return null;
        });
        d.cancel();
        assertThat(clock.getDelayedCalls()).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(calls[0]).isZero();
        Throwable[] error = new Throwable[1];
        d.addVoidErrback(f -> {
            error[0] = f.value();
        });
        assertThat(error[0]).isInstanceOf(CancelledException.class);
    }
}
