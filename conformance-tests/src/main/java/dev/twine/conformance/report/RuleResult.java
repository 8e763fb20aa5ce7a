package dev.twine.conformance.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.reactor.Capability;
import org.apiguardian.api.API;

/**
 * One rule's outcome.
 *
 * @param id the rule's id, {@code TCP-12}
 * @param capability the capability it checks
 * @param says what a reactor must do
 * @param status how it came out
 * @param seconds how long its test took
 * @param reason for a failure, what the reactor did instead; for a skip, why; else empty
 * @param test the test that checks it, {@code Class.method}
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RuleResult(String id, Capability capability, String says, Status status, double seconds, String reason,
        String test) {
}
