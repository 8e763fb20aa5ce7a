package dev.twine.trial.examples;

import dev.twine.trial.SetUp;
import dev.twine.trial.TearDown;
import dev.twine.trial.TrialTest;
import java.util.ArrayList;
import java.util.List;

/** Run by the engine's tests: several set-ups and tear-downs in one class run in a fixed order. */
public class SetUpOrder extends SetUpOrderBase {
    @SetUp
    void charlie() {
        ORDER.add("setUp charlie");
    }

    @SetUp
    void alpha() {
        ORDER.add("setUp alpha");
    }

    @SetUp
    void bravo() {
        ORDER.add("setUp bravo");
    }

    @TearDown
    void zulu() {
        ORDER.add("tearDown zulu");
    }

    @TearDown
    void yankee() {
        ORDER.add("tearDown yankee");
    }

    @TrialTest
    void test() {
        ORDER.add("test");
    }
}

/** Its superclass's set-up runs first and its tear-down last. */
class SetUpOrderBase {
    public static final List<String> ORDER = new ArrayList<>();

    @SetUp
    void zzBase() {
        ORDER.add("setUp base");
    }

    @TearDown
    void aaBase() {
        ORDER.add("tearDown base");
    }
}
