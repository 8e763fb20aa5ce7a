package dev.twine.conformance.harness;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.conformance.Rule;
import dev.twine.trial.TestLabeler;
import java.lang.reflect.Method;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Puts each rule's id where every runner shows it: the display name is {@code TCP-31 <sentence>},
 * and a failure's message starts with {@code TCP-31: }, so Surefire's XML, the IDE's test tree and
 * the Console Launcher name the rule, not only the suite's own report. An assertion stays an
 * assertion; any other exception becomes a {@link RuleError} carrying its type in the message. The
 * original is kept as the cause. Each rule is tagged {@code rule:TCP-31} and {@code capability:TCP}, so a
 * build can run one capability's rules ({@code --include-tag capability:TCP}) and reports (the Open
 * Test Reporting XML) carry both.
 */
@API(status = INTERNAL, since = "0.1")
public final class RuleLabels implements TestLabeler {
    @Override
    public String displayName(Class<?> testClass, Method method) {
        Rule rule = method.getAnnotation(Rule.class);
        return rule == null ? null : rule.id() + " " + rule.value();
    }

    /** The tag prefix of a rule's id. */
    public static final String RULE_TAG = "rule:";
    /** The tag prefix of a rule's capability. */
    public static final String CAPABILITY_TAG = "capability:";

    @Override
    public Set<String> tags(Class<?> testClass, Method method) {
        Rule rule = method.getAnnotation(Rule.class);
        return rule == null ? Set.of() : Set.of(RULE_TAG + rule.id(), CAPABILITY_TAG + rule.capability().name());
    }

    @Override
    public Throwable failure(Class<?> testClass, Method method, Throwable failure) {
        Rule rule = method.getAnnotation(Rule.class);
        if (rule == null) {
            return failure;
        }
        String prefix = rule.id() + ": ";
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        if (message.startsWith(prefix)) {
            return failure;
        }
        Throwable labelled = failure instanceof AssertionError
                ? new AssertionError(prefix + (message.isEmpty() ? failure.getClass().getSimpleName() : message), failure)
                : new RuleError(prefix + failure.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message), failure);
        labelled.setStackTrace(failure.getStackTrace());
        return labelled;
    }

    /** A rule that ended with an exception other than a failed assertion: the reactor under test (or the rule) threw. */
    @API(status = INTERNAL, since = "0.1")
    public static final class RuleError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RuleError(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
