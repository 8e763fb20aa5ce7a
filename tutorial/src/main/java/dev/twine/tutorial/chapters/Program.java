package dev.twine.tutorial.chapters;

/** One of the tutorial's small programs: it does what its original's module-level code does. */
@FunctionalInterface
public interface Program {
    /**
     * Runs the program to its end. An exception escaping it is what the original ends with when
     * it dies with a traceback.
     */
    void run(Run run) throws Exception;
}
