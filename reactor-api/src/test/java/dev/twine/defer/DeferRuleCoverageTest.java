package dev.twine.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Every Deferred rule of the reference notes (DEF-01 to DEF-31) is claimed by at least one test's
 * display name in this package, so a rule cannot silently lose its test.
 */
class DeferRuleCoverageTest {
    private static final Pattern RULE = Pattern.compile("DEF-(\\d\\d)");

    @Test
    void everyDeferredRuleHasATest() {
        Launcher launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("dev.twine.defer"))
                .filters(org.junit.platform.engine.discovery.ClassNameFilter.excludeClassNamePatterns(".*DeferRuleCoverageTest"))
                .build());
        Set<String> claimed = new TreeSet<>();
        for (TestIdentifier root : plan.getRoots()) {
            collect(plan, root, claimed);
        }
        Set<String> expected = IntStream.rangeClosed(1, 31).mapToObj(i -> String.format("DEF-%02d", i))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(claimed).containsAll(expected);
    }

    private static void collect(TestPlan plan, TestIdentifier node, Set<String> claimed) {
        Matcher m = RULE.matcher(node.getDisplayName());
        while (m.find()) {
            claimed.add(m.group());
        }
        for (TestIdentifier child : plan.getChildren(node)) {
            collect(plan, child, claimed);
        }
    }
}
