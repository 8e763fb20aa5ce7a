package dev.twine.trial.examples;

import dev.twine.defer.Deferred;
import dev.twine.trial.LabelTestsWith;
import dev.twine.trial.SkipTest;
import dev.twine.trial.TestLabeler;
import dev.twine.trial.TrialTest;
import java.lang.reflect.Method;

/** Run by the engine's tests: a labeler names the tests and words their failures. */
@LabelTestsWith(Labelled.Ids.class)
public class Labelled {
    /** Names a test {@code ID-<name>} and puts that id in front of its failures. */
    public static final class Ids implements TestLabeler {
        @Override
        public String displayName(Class<?> testClass, Method method) {
            return method.getName().equals("keepsItsName") ? null : "ID-" + method.getName() + " says what it checks";
        }

        @Override
        public Throwable failure(Class<?> testClass, Method method, Throwable failure) {
            if (failure instanceof AssertionError) {
                return new AssertionError("ID-" + method.getName() + ": " + failure.getMessage(), failure);
            }
            return null;
        }
    }

    /** A labeler that cannot be created. */
    public static final class Unmakeable implements TestLabeler {
        private Unmakeable() {
        }

        @Override
        public String displayName(Class<?> testClass, Method method) {
            return "never";
        }
    }

    @TrialTest
    void passes() {
    }

    @TrialTest
    Deferred<Void> failsLater() {
        return Deferred.fail(new AssertionError("the reactor did something else"));
    }

    @TrialTest
    void throwsAnError() {
        throw new IllegalStateException("not an assertion");
    }

    @TrialTest
    void skips() {
        throw new SkipTest("not here");
    }

    @TrialTest
    void keepsItsName() {
    }

    /** Its labeler cannot be made: a discovery error, and none of its tests run. */
    @LabelTestsWith(Unmakeable.class)
    public static class BadLabeler {
        @TrialTest
        void neverRuns() {
        }
    }
}
