package sample;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlainJupiterTest {
    @Test
    void jupiterStillRuns() {
        assertTrue(true);
    }
}
