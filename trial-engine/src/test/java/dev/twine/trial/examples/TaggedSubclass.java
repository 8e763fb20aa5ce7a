package dev.twine.trial.examples;

import dev.twine.trial.Tag;
import dev.twine.trial.TrialTest;

/** Run by the engine's tests: a subclass with tags of its own keeps its superclass's; an invalid tag is reported. */
@Tag("sub")
public class TaggedSubclass extends Tagged {
    @TrialTest
    @Tag("has space")
    void badlyTagged() {
    }
}
