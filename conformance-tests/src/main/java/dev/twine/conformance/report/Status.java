package dev.twine.conformance.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** How a rule came out. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Status {
    /** The reactor did what the rule says. */
    PASSED,
    /** It did not; the reason says what it did instead. */
    FAILED,
    /** The rule was not checked: its capability is not declared, or the run could not check it here. */
    SKIPPED
}
