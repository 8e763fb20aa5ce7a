import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads what PIT wrote for a mutation run of the conformance suite (its {@code mutations.xml} and
 * its per-class HTML pages) and prints the figures {@code ./twine mutation} promises: mutants
 * generated, covered, killed (time-outs shown apart), survived, not covered; the score, killed /
 * (covered − recorded equivalents); the line coverage of the mutated classes by the rules; then
 * every survivor that is not a recorded equivalent, and every recorded equivalent that no longer
 * matches a survivor.
 *
 * <p>A single source file that {@code java} runs as it is (JDK 11 and later): no build, no Python.
 *
 * <pre>java MutationFigures.java REPORTS_DIR EQUIVALENTS_FILE</pre>
 *
 * <p>The equivalents file's format and how its lines are matched are described in its own header
 * ({@code conformance-tests/src/mutation/equivalent-mutants.txt}).
 */
public final class MutationFigures {

    /** One mutant as PIT reports it; {@code seq} (its place in the report) tells apart mutants PIT describes alike. */
    record Mutant(int seq, String sourceFile, String className, String method, int line, String mutator, String description, String status,
            String killingTest) {
        String simpleClass() {
            return className.substring(className.lastIndexOf('.') + 1);
        }

        boolean covered() {
            return !status.equals("NO_COVERAGE") && !status.equals("NON_VIABLE");
        }

        /** Detected, as PIT counts it: a rule failed, the run timed out, or the minion died. */
        boolean killed() {
            return status.equals("KILLED") || status.equals("TIMED_OUT") || status.equals("MEMORY_ERROR")
                    || status.equals("RUN_ERROR");
        }

        String where() {
            return simpleClass() + "." + method + ":" + line + "  " + mutator + "  " + description;
        }
    }

    /** One line of the equivalents file. */
    record Equivalent(int lineOfFile, String className, String method, int line, String mutator, String description,
            String argument) {
        boolean sameMethodAndKind(Mutant m) {
            return (m.className().equals(className) || m.simpleClass().equals(className)) && m.method().equals(method)
                    && m.mutator().equals(mutator) && m.description().equals(description);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || args[0].equals("--help")) {
            System.err.println("usage: java MutationFigures.java REPORTS_DIR EQUIVALENTS_FILE");
            System.exit(2);
        }
        Path reports = Path.of(args[0]);
        List<Mutant> mutants = readMutants(reports.resolve("mutations.xml"));
        List<Equivalent> equivalents = readEquivalents(Path.of(args[1]));
        Map<String, int[]> lines = readLineCoverage(reports);
        print(mutants, equivalents, lines, System.out);
    }

    static List<Mutant> readMutants(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList nodes = factory.newDocumentBuilder().parse(xml.toFile()).getElementsByTagName("mutation");
        List<Mutant> all = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            String mutator = text(e, "mutator");
            String file = text(e, "sourceFile");
            all.add(new Mutant(i, file.replace(".java", ""), text(e, "mutatedClass"), text(e, "mutatedMethod"), Integer.parseInt(text(e, "lineNumber")),
                    mutator.substring(mutator.lastIndexOf('.') + 1), text(e, "description"), e.getAttribute("status"),
                    text(e, "killingTest")));
        }
        return all;
    }

    private static String text(Element parent, String tag) {
        NodeList found = parent.getElementsByTagName(tag);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().trim();
    }

    /**
     * The equivalents: {@code class | method | line | mutator | description | why}, '#' starts a
     * comment line.
     */
    static List<Equivalent> readEquivalents(Path file) throws IOException {
        List<Equivalent> all = new ArrayList<>();
        if (!Files.exists(file)) {
            return all;
        }
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s*\\|\\s*", 6);
            if (f.length != 6 || f[5].isBlank()) {
                throw new IllegalArgumentException(file + ":" + (i + 1)
                        + ": expected 'class | method | line | mutator | description | why', got: " + line);
            }
            all.add(new Equivalent(i + 1, f[0], f[1], Integer.parseInt(f[2]), f[3], f[4], f[5]));
        }
        return all;
    }

    /**
     * Covered and coverable lines per class, from PIT's per-class HTML pages: each source line's
     * cell is marked {@code covered}, {@code uncovered} or neither (no code on that line).
     */
    static Map<String, int[]> readLineCoverage(Path reports) throws IOException {
        Map<String, int[]> byFile = new TreeMap<>();
        Pattern cell = Pattern.compile("<td class='(covered|uncovered)'><pre>");
        try (Stream<Path> pages = Files.walk(reports)) {
            for (Path page : (Iterable<Path>) pages.filter(p -> p.toString().endsWith(".java.html"))::iterator) {
                String html = Files.readString(page, StandardCharsets.UTF_8);
                int[] counts = new int[2];
                Matcher m = cell.matcher(html);
                while (m.find()) {
                    counts[m.group(1).equals("covered") ? 0 : 1]++;
                }
                String name = page.getFileName().toString();
                byFile.put(name.substring(0, name.length() - ".java.html".length()), counts);
            }
        }
        return byFile;
    }

    /**
     * Which recorded equivalent each survivor is: see the equivalents file's header. A line of the
     * file stands for one mutant, so it is given to one survivor at most; lines that name the very
     * line first, then lines whose mutant moved.
     */
    static Map<Mutant, Equivalent> assign(List<Mutant> mutants, List<Equivalent> equivalents) {
        Map<Mutant, Equivalent> assigned = new LinkedHashMap<>();
        List<Equivalent> free = new ArrayList<>(equivalents);
        List<Mutant> survivors = mutants.stream().filter(m -> m.status().equals("SURVIVED")).toList();
        for (Mutant m : survivors) {
            free.stream().filter(q -> q.sameMethodAndKind(m) && q.line() == m.line()).findFirst().ifPresent(q -> {
                assigned.put(m, q);
                free.remove(q);
            });
        }
        for (Mutant m : survivors) {
            if (!assigned.containsKey(m)) {
                free.stream().filter(q -> q.sameMethodAndKind(m) && mutants.stream().filter(q::sameMethodAndKind).count() == 1)
                        .findFirst().ifPresent(q -> {
                            assigned.put(m, q);
                            free.remove(q);
                        });
            }
        }
        return assigned;
    }

    static void print(List<Mutant> mutants, List<Equivalent> equivalents, Map<String, int[]> lines, PrintStream out) {
        long generated = mutants.size();
        long noCoverage = count(mutants, "NO_COVERAGE");
        long covered = mutants.stream().filter(Mutant::covered).count();
        long killed = mutants.stream().filter(Mutant::killed).count();
        long timedOut = count(mutants, "TIMED_OUT");
        long survived = count(mutants, "SURVIVED");
        Map<Mutant, Equivalent> assigned = assign(mutants, equivalents);
        List<Mutant> open = mutants.stream().filter(m -> m.status().equals("SURVIVED") && !assigned.containsKey(m)).toList();
        long equivalent = survived - open.size();
        int linesCovered = lines.values().stream().mapToInt(c -> c[0]).sum();
        int linesAll = lines.values().stream().mapToInt(c -> c[0] + c[1]).sum();

        out.println("Mutation testing of the built-in reactor by the conformance rules (PIT)");
        out.printf("  mutants generated   %5d%n", generated);
        out.printf("  covered by a rule   %5d%n", covered);
        out.printf("  killed              %5d   (%d by a failing rule, %d by timing out)%n", killed, killed - timedOut,
                timedOut);
        out.printf("  timed out           %5d   (counted in killed)%n", timedOut);
        out.printf("  survived            %5d   (%d recorded as equivalent, %d not)%n", survived, equivalent, open.size());
        out.printf("  no coverage         %5d%n", noCoverage);
        if (generated - covered - noCoverage > 0) {
            out.printf("  non-viable          %5d   (did not load; counted nowhere)%n", generated - covered - noCoverage);
        }
        out.printf("  score               %s   killed / (covered - equivalents) = %d / (%d - %d)%n",
                percent(killed, covered - equivalent), killed, covered, equivalent);
        out.printf("  line coverage       %s   %d of %d lines of the mutated classes run by the rules%n",
                percent(linesCovered, linesAll), linesCovered, linesAll);

        out.println();
        out.println("By source file           mutants  killed  t/o  survived (equiv.)  no cov.   score   lines");
        Map<String, List<Mutant>> byClass = new TreeMap<>();
        mutants.forEach(m -> byClass.computeIfAbsent(m.sourceFile(), k -> new ArrayList<>()).add(m));
        byClass.forEach((name, ms) -> {
            long k = ms.stream().filter(Mutant::killed).count();
            long c = ms.stream().filter(Mutant::covered).count();
            long e = ms.stream().filter(assigned::containsKey).count();
            int[] l = lines.getOrDefault(name, new int[2]);
            out.printf("  %-22s %7d %7d %4d %9d (%d) %8d  %6s  %6s%n", name, ms.size(), k, count(ms, "TIMED_OUT"),
                    count(ms, "SURVIVED"), e, count(ms, "NO_COVERAGE"), percent(k, c - e), percent(l[0], l[0] + l[1]));
        });

        if (!open.isEmpty()) {
            out.println();
            out.println("Survivors not recorded as equivalent (a rule should notice each):");
            open.forEach(m -> out.println("  " + m.where()));
        }
        List<Mutant> uncovered = mutants.stream().filter(m -> m.status().equals("NO_COVERAGE")).toList();
        if (!uncovered.isEmpty()) {
            out.println();
            out.println("Mutants no rule runs:");
            uncovered.forEach(m -> out.println("  " + m.where()));
        }
        List<String> stale = new ArrayList<>();
        for (Equivalent q : equivalents) {
            if (!assigned.containsValue(q)) {
                Mutant same = mutants.stream().filter(m -> q.sameMethodAndKind(m) && m.line() == q.line()).findFirst()
                        .orElse(null);
                stale.add("  line " + q.lineOfFile() + ": " + q.className() + "." + q.method() + ":" + q.line() + " "
                        + q.mutator() + (same == null ? " matches no mutant of this run"
                                : " is " + same.status() + (same.killingTest().isEmpty() ? "" : " by " + same.killingTest())));
            }
        }
        if (!stale.isEmpty()) {
            out.println();
            out.println("Recorded equivalents that match no survivor of this run (check or remove them):");
            stale.forEach(out::println);
        }
    }

    private static long count(List<Mutant> mutants, String status) {
        return mutants.stream().filter(m -> m.status().equals(status)).count();
    }

    private static String percent(long part, long whole) {
        return whole <= 0 ? "   -  " : String.format(Locale.ROOT, "%5.1f %%", 100.0 * part / whole);
    }
}
