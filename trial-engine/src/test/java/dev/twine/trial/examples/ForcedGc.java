package dev.twine.trial.examples;

import dev.twine.trial.TrialTest;
import java.lang.ref.WeakReference;

/** Run by the engine's tests with twine.trial.forceGc: what the first test dropped is collected before the second. */
public class ForcedGc {
    static WeakReference<Object> dropped;

    @TrialTest
    void aDropsAnObject() {
        dropped = new WeakReference<>(new byte[1024]);
    }

    @TrialTest
    void bFindsItCollected() {
        if (dropped.get() != null) {
            throw new AssertionError("the object the previous test dropped was not collected");
        }
    }
}
