package dev.twine.conformance.broken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.Catalogue;
import dev.twine.conformance.ConformanceRunner;
import dev.twine.conformance.report.ConformanceReport;
import dev.twine.conformance.report.RuleResult;
import dev.twine.conformance.report.Status;
import dev.twine.reactor.Capability;
import dev.twine.reactor.ReactorProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The suite proves its strength: each deliberately broken reactor (every provider carrying
 * {@link CaughtBy}) fails the rules that name its fault, with a reason that names it, and a control
 * run of the unbroken reactor under the same rule limit and parallelism passes the same rules.
 * Nothing here depends on speed but the one hang, which only time can show. The
 * rules run on the built-in reactor; only the reactor under test is broken.
 */
class StrengthTest {
    /**
     * The limit of each rule: generous, because a rule that fails must fail by what the reactor did,
     * and on a loaded machine (ci/under-load) a sound rule can take seconds. Only a broken reactor
     * that hangs waits it out, and that one gets {@link #HANG_LIMIT}.
     */
    static final Duration RULE_LIMIT = Duration.ofSeconds(30);
    /** The limit for a broken reactor whose fault is a hang ({@link CaughtBy#hang()}): it can only be caught by time. */
    static final Duration HANG_LIMIT = Duration.ofSeconds(2);

    /** Where broken reactors live: wrappers at the API, and faults injected inside the nio reactor. */
    private static final List<String> PACKAGES = List.of("dev.twine.conformance.broken", "dev.twine.reactor.nio");

    static List<Class<?>> brokenProviders() {
        return PACKAGES.stream()
                .flatMap(p -> ReflectionSupport.findAllClassesInPackage(p, c -> c.isAnnotationPresent(CaughtBy.class),
                        n -> true).stream())
                .filter(c -> ReactorProvider.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers()))
                .distinct().sorted(java.util.Comparator.comparing(Class::getName)).toList();
    }

    static Stream<Arguments> brokenReactors() {
        return Stream.concat(brokenProviders().stream().map(c -> Arguments.of(c.getSimpleName(), c)),
                Stream.of(Arguments.of("control: the unbroken nio reactor", null)));
    }

    private static Set<String> allNamedRules() {
        return brokenProviders().stream().flatMap(c -> Arrays.stream(c.getAnnotation(CaughtBy.class).value()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static ConformanceReport run(String provider, Set<String> rules, String directory, PrintStream console,
            Duration limit) {
        Pattern ids = Pattern.compile(rules.stream().map(Pattern::quote).collect(Collectors.joining("|")));
        return ConformanceRunner.run(new ConformanceRunner.Settings(provider, "nio", ids, limit,
                Path.of("target", "strength", directory), console, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenReactors")
    @Execution(ExecutionMode.CONCURRENT)
    void eachBrokenReactorFailsTheRulesNamingItsFault(String name, Class<?> provider) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        if (provider == null) {
            Set<String> rules = allNamedRules();
            ConformanceReport report = run("nio", rules, "control", out, RULE_LIMIT);
            assertThat(report).as("a report").isNotNull();
            assertThat(report.results()).extracting(RuleResult::id).as("the rules run").containsExactlyInAnyOrderElementsOf(rules);
            assertThat(report.failures()).as("rules the unbroken reactor fails under the same limit (flaky or wrong rules)")
                    .isEmpty();
            return;
        }
        CaughtBy caught = provider.getAnnotation(CaughtBy.class);
        Set<String> named = new TreeSet<>(Arrays.asList(caught.value()));
        ConformanceReport report = run(provider.getName(), named, provider.getSimpleName(), out,
                caught.hang() ? HANG_LIMIT : RULE_LIMIT);
        assertThat(report).as("a report for %s", name).isNotNull();
        Map<String, RuleResult> results = report.results().stream().collect(Collectors.toMap(RuleResult::id, Function.identity()));
        assertThat(results.keySet()).as("the rules %s names", name).containsExactlyInAnyOrderElementsOf(named);
        Pattern reason = Pattern.compile(caught.reason(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        for (String id : named) {
            RuleResult result = results.get(id);
            assertThat(result.status()).as("%s against %s (reason: %s)", id, name, result.reason()).isEqualTo(Status.FAILED);
            assertThat(reason.matcher(result.reason()).find()).as("%s's reason names the fault /%s/: %s", id, caught.reason(),
                    result.reason()).isTrue();
            if (!caught.hang()) {
                assertThat(result.reason()).as("%s must catch %s by what it did, not by running out of time", id, name)
                        .doesNotContain("did not finish within");
            }
        }
        System.out.printf("%s is caught by %s%n", name, named.stream().map(id -> id + " (" + results.get(id).reason() + ")")
                .collect(Collectors.joining(", ")));
    }

    @Test
    void everyNamedRuleExistsAndEveryCapabilityHasABrokenReactor() {
        Set<String> known = Catalogue.rules().stream().map(Catalogue.Entry::id).collect(Collectors.toSet());
        assertThat(known).as("rules the broken reactors name").containsAll(allNamedRules());
        Set<Capability> covered = EnumSet.noneOf(Capability.class);
        Catalogue.rules().stream().filter(e -> allNamedRules().contains(e.id())).forEach(e -> covered.add(e.capability()));
        System.out.printf("%d broken reactors, covering %s%n", brokenProviders().size(), covered);
        assertThat(covered).as("capabilities whose rules catch at least one broken reactor")
                .isEqualTo(EnumSet.allOf(Capability.class));
        assertThat(brokenProviders()).as("broken reactors").hasSizeGreaterThanOrEqualTo(40);
    }
}
