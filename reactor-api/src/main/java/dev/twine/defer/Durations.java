package dev.twine.defer;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations in messages: seconds with as many decimals as they need ("0.5 s", "120 s"). */
final class Durations {
    private Durations() {
    }

    static String describe(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9))
                .stripTrailingZeros();
        return seconds.toPlainString() + " s";
    }
}
