package dev.twine.trial.examples;

import dev.twine.trial.Timeout;
import dev.twine.trial.TrialTest;

/** Run by the engine's tests: every way to declare a test wrong. */
public class BadDeclarations {
    @TrialTest
    private void privateTest() {
    }

    @TrialTest
    static void staticTest() {
    }

    @TrialTest
    String returnsAString() {
        return "no";
    }

    @TrialTest
    void wantsAParameter(String name) {
    }

    @TrialTest
    void fine() {
    }

    @TrialTest
    @Timeout(0)
    void zeroTimeout() {
    }

    @TrialTest
    @Timeout(-5)
    void negativeTimeout() {
    }

    /** Not static: cannot be instantiated on its own. */
    public class Inner {
        @TrialTest
        void test() {
        }
    }

    /** No no-argument constructor. */
    public static class NeedsArguments {
        public NeedsArguments(String argument) {
        }

        @TrialTest
        void test() {
        }
    }
}
