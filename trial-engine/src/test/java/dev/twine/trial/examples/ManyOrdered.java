package dev.twine.trial.examples;

import dev.twine.trial.TrialTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Run by the engine's tests: records the order its tests run in. */
public class ManyOrdered {
    public static final List<String> ORDER = new CopyOnWriteArrayList<>();

    @TrialTest void delta() { ORDER.add("delta"); }
    @TrialTest void alpha() { ORDER.add("alpha"); }
    @TrialTest void echo() { ORDER.add("echo"); }
    @TrialTest void charlie() { ORDER.add("charlie"); }
    @TrialTest void bravo() { ORDER.add("bravo"); }
    @TrialTest void foxtrot() { ORDER.add("foxtrot"); }
    @TrialTest void golf() { ORDER.add("golf"); }
    @TrialTest void hotel() { ORDER.add("hotel"); }
}
