package dev.twine.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class FailureTest {
    private final Failure failure = new Failure(new FileNotFoundException("poem.txt"));

    @Test
    void checkReturnsTheFirstMatchingType() {
        assertThat(failure.check(IllegalStateException.class, IOException.class, FileNotFoundException.class))
                .isEqualTo(IOException.class);
        assertThat(failure.check(IllegalStateException.class)).isNull();
    }

    @Test
    void trapReturnsTheMatchOrRethrowsTheOriginal() {
        assertThat(failure.trap(IOException.class)).isEqualTo(IOException.class);
        assertThatThrownBy(() -> failure.trap(IllegalStateException.class)).isSameAs(failure.value());
    }

    @Test
    void raiseExceptionThrowsCheckedExceptionsUnwrapped() {
        assertThatThrownBy(failure::raiseException).isSameAs(failure.value());
    }

    @Test
    void messagesAndTraceback() {
        assertThat(failure.getErrorMessage()).isEqualTo("poem.txt");
        assertThat(new Failure(new IllegalStateException()).getErrorMessage()).isEqualTo("java.lang.IllegalStateException");
        assertThat(failure.getTraceback()).startsWith("java.io.FileNotFoundException: poem.txt").contains("at dev.twine.defer.FailureTest");
        assertThat(failure).hasToString("[Failure instance: java.io.FileNotFoundException: poem.txt]");
        assertThat(failure.type()).isEqualTo(FileNotFoundException.class);
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> new Failure(null)).isInstanceOf(NullPointerException.class);
    }
}
