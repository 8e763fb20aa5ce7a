package dev.twine.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.reactor.Capability;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CatalogueTest {

    @Test
    void everyRuleHasAUniqueWellFormedIdASentenceAndATest() {
        Set<String> ids = new HashSet<>();
        Pattern id = Pattern.compile("(CORE|TIME|THR|TCP|IPV6|UDP|UNIX|TLS|DESC|TUT)-\\d{2,3}");
        for (Catalogue.Entry entry : Catalogue.rules()) {
            assertThat(entry.id()).matches(id);
            assertThat(ids.add(entry.id())).as("%s is used once", entry.id()).isTrue();
            assertThat(entry.says()).as(entry.id()).isNotBlank().doesNotEndWith(".");
            assertThat(entry.method().isAnnotationPresent(dev.twine.trial.TrialTest.class)).as("%s is a trial test", entry.id()).isTrue();
        }
        assertThat(Catalogue.rules()).hasSizeGreaterThanOrEqualTo(120);
    }

    @Test
    void areasMatchCapabilitiesAndRequiredOnesCoverWhatTwistedsSuiteChecks() {
        for (Catalogue.Entry entry : Catalogue.rules()) {
            switch (Catalogue.area(entry.id())) {
                case "CORE" -> assertThat(entry.capability()).isEqualTo(Capability.CORE);
                case "TIME" -> assertThat(entry.capability()).isEqualTo(Capability.TIME);
                case "THR" -> assertThat(entry.capability()).isEqualTo(Capability.THREADS);
                case "TCP", "TUT" -> assertThat(entry.capability()).isEqualTo(Capability.TCP);
                case "IPV6" -> assertThat(entry.capability()).isEqualTo(Capability.IPV6);
                case "UDP" -> assertThat(entry.capability()).isEqualTo(Capability.UDP);
                case "UNIX" -> assertThat(entry.capability()).isEqualTo(Capability.UNIX);
                case "TLS" -> assertThat(entry.capability()).isEqualTo(Capability.TLS);
                case "DESC" -> assertThat(entry.capability()).isEqualTo(Capability.DESCRIPTORS);
                default -> throw new AssertionError("unknown area in " + entry.id());
            }
        }
        // Twisted's own suite, per reactor: test_core 14, test_time 2, test_threads 10 (reference notes, d).
        assertThat(count("CORE")).isGreaterThanOrEqualTo(14);
        assertThat(count("TIME")).isGreaterThanOrEqualTo(2);
        assertThat(count("THR")).isGreaterThanOrEqualTo(10);
        assertThat(Catalogue.rules()).extracting(Catalogue.Entry::id).isSortedAccordingTo(Catalogue.ORDER);
    }

    private static long count(String area) {
        return Catalogue.rules().stream().filter(e -> Catalogue.area(e.id()).equals(area)).count();
    }
}
