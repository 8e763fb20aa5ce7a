package dev.twine.conformance;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.reactor.Capability;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.platform.commons.support.ReflectionSupport;

/** Every rule of the suite, in catalogue order. */
@API(status = INTERNAL, since = "0.1")
public final class Catalogue {
    /** Where the rules classes live: every concrete {@code *Rules} class there is part of the suite. */
    public static final String RULES_PACKAGE = "dev.twine.conformance.rules";

    /**
     * The rules classes: every concrete class of {@link #RULES_PACKAGE} whose name ends in {@code
     * Rules} (as {@link ReactorConformance} selects them), by name. Found by scanning, so a new
     * rules class needs no list to be edited.
     */
    public static final List<Class<?>> RULE_CLASSES = ReflectionSupport.findAllClassesInPackage(RULES_PACKAGE,
                    type -> type.getSimpleName().endsWith("Rules") && !Modifier.isAbstract(type.getModifiers())
                            && type.getEnclosingClass() == null, name -> true)
            .stream().sorted(Comparator.comparing(Class::getName)).toList();

    /** The order of the areas in reports: the required capabilities first, then the optional ones, then the tutorial. */
    private static final List<String> AREAS = List.of("CORE", "TIME", "THR", "TCP", "IPV6", "UDP", "UNIX", "TLS", "DESC", "TUT");

    private Catalogue() {
    }

    /** One rule: what it says, and the test that checks it. */
    @API(status = INTERNAL, since = "0.1")
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
