package dev.twine.conformance;

import dev.twine.conformance.rules.CoreRules;
import dev.twine.conformance.rules.DescriptorRules;
import dev.twine.conformance.rules.Ipv6Rules;
import dev.twine.conformance.rules.TcpAbortRules;
import dev.twine.conformance.rules.TcpClientRules;
import dev.twine.conformance.rules.TcpConnectorContractRules;
import dev.twine.conformance.rules.TcpCloseRules;
import dev.twine.conformance.rules.TcpFaultRules;
import dev.twine.conformance.rules.TcpLifecycleRules;
import dev.twine.conformance.rules.TcpProducerRules;
import dev.twine.conformance.rules.TcpServerRules;
import dev.twine.conformance.rules.TcpTransportRules;
import dev.twine.conformance.rules.TcpWriteRules;
import dev.twine.conformance.rules.ThreadRules;
import dev.twine.conformance.rules.TimeRules;
import dev.twine.conformance.rules.TlsContractRules;
import dev.twine.conformance.rules.TlsRules;
import dev.twine.conformance.rules.TutorialRules;
import dev.twine.conformance.rules.UdpRules;
import dev.twine.conformance.rules.UnixRules;
import dev.twine.reactor.Capability;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every rule of the suite, in catalogue order. */
public final class Catalogue {
    /** The rules classes, in the order their areas are listed. */
    public static final List<Class<?>> RULE_CLASSES = List.of(CoreRules.class, TimeRules.class, ThreadRules.class,
            TcpServerRules.class, TcpClientRules.class, TcpTransportRules.class, TcpCloseRules.class,
            TcpProducerRules.class, TcpFaultRules.class, Ipv6Rules.class, UdpRules.class, UnixRules.class, TlsRules.class,
            DescriptorRules.class, TutorialRules.class,
            TcpAbortRules.class, TcpWriteRules.class, TcpLifecycleRules.class, TcpConnectorContractRules.class, TlsContractRules.class);

    /** The order of the areas in reports: the required capabilities first, then the optional ones, then the tutorial. */
    private static final List<String> AREAS = List.of("CORE", "TIME", "THR", "TCP", "IPV6", "UDP", "UNIX", "TLS", "DESC", "TUT");

    private Catalogue() {
    }

    /** One rule: what it says, and the test that checks it. */
    public record Entry(String id, Capability capability, String says, Class<?> testClass, Method method) {
    }

    private static volatile List<Entry> rules;

    /** Every rule, sorted by {@link #ORDER}. */
    public static List<Entry> rules() {
        List<Entry> known = rules;
        if (known == null) {
            known = List.copyOf(scan());
            rules = known;
        }
        return known;
    }

    private static List<Entry> scan() {
        List<Entry> all = new ArrayList<>();
        for (Class<?> type : RULE_CLASSES) {
            for (Method method : type.getDeclaredMethods()) {
                Rule rule = method.getAnnotation(Rule.class);
                if (rule != null) {
                    all.add(new Entry(rule.id(), rule.capability(), rule.value(), type, method));
                }
            }
        }
        all.sort(Comparator.comparing(Entry::id, ORDER));
        return all;
    }

    /** The rule checked by {@code method} of {@code className}, if it is one. */
    public static Optional<Entry> find(String className, String methodName) {
        return rules().stream().filter(e -> e.testClass().getName().equals(className) && e.method().getName().equals(methodName))
                .findFirst();
    }

    /** Catalogue order of rule ids: by area (CORE, TIME, THR, TCP, IPV6, UDP, UNIX, TLS, DESC, TUT), then number. */
    public static final Comparator<String> ORDER = Comparator.comparingInt((String id) -> {
        int at = AREAS.indexOf(area(id));
        return at < 0 ? AREAS.size() : at;
    }).thenComparing(Catalogue::area).thenComparingInt(Catalogue::number);

    /** The area of a rule id: what comes before its last dash. */
    public static String area(String id) {
        int dash = id.lastIndexOf('-');
        return dash < 0 ? id : id.substring(0, dash);
    }

    private static int number(String id) {
        try {
            return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
