package dev.twine.tutorial;

import java.time.Duration;

/** Elapsed time printed as Python prints a {@code timedelta}, as the tutorial's programs do: {@code 0:00:04.401342}. */
public final class Timedelta {
    private Timedelta() {
    }

    /** {@code H:MM:SS.ffffff} (microseconds shown only when there are any, as Python does). */
    public static String format(Duration elapsed) {
        long micros = elapsed.toNanos() / 1000;
        long hours = micros / 3_600_000_000L;
        long minutes = micros / 60_000_000L % 60;
        long seconds = micros / 1_000_000L % 60;
        long fraction = micros % 1_000_000L;
        String text = String.format("%d:%02d:%02d", hours, minutes, seconds);
        return fraction == 0 ? text : text + String.format(".%06d", fraction);
    }
}
