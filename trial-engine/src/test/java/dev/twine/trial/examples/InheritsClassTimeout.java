package dev.twine.trial.examples;

/** Run by the engine's tests: a subclass keeps its superclass's {@code @Timeout} and tests. */
public class InheritsClassTimeout extends ClassTimeout {
}
