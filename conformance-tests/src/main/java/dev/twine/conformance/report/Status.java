package dev.twine.conformance.report;

/** How a rule came out. */
public enum Status {
    /** The reactor did what the rule says. */
    PASSED,
    /** It did not; the reason says what it did instead. */
    FAILED,
    /** The rule was not checked: its capability is not declared, or the run could not check it here. */
    SKIPPED
}
