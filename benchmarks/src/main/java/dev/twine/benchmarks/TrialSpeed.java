package dev.twine.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * What a trivial test costs: Twine trial, JUnit Jupiter and (when Python has it) Twisted's trial,
 * each run from its own command line in a fresh process, in the same run of this harness.
 *
 * <p>A test's cost is a difference: the time of a suite minus the time of a smaller one, divided by
 * the number of tests between them: against a one-test suite, that leaves out start-up (JVM or
 * Python, loading, discovery of one test). Suites of 10,000 show the cost in a warmed-up process,
 * as in a real build; 1,000 callLater(0) tests alone show it in a cold JVM. Two figures per row: from wall time
 * (which includes discovering the tests) and from the runner's own timing ("Test run finished
 * after", "Ran N tests in"; running them only). Every figure is the median of {@code repeats}
 * runs, taken round-robin so that a noisy moment hits every runner.
 */
final class TrialSpeed {
    private static final Pattern JUNIT_TIME = Pattern.compile("Test run finished after (\\d+) ms");
    private static final Pattern JUNIT_COUNT = Pattern.compile("\\[\\s*(\\d+) tests successful\\s*]");
    private static final Pattern TRIAL_TIME = Pattern.compile("Ran (\\d+) tests? in ([0-9.]+)s");
    private static final int PER_CLASS = 1_000;
    private static final int TRIVIAL = 10_000;
    private static final int LATER = 1_000;

    private TrialSpeed() {
    }

    /** One command that runs a suite of {@code tests} tests. */
    private record Suite(int tests, List<String> command, Path directory, Pattern countCheck) {
    }

    /** A figure: the cost of the tests {@code suite} runs beyond {@code baseline}'s. */
    private record Row(String label, String suite, String baseline) {
    }

    /** Wall and in-runner seconds of one run. */
    private record Timing(double wallSeconds, double runnerSeconds) {
    }

    static void run(boolean quick) throws IOException, InterruptedException {
        int repeats = quick ? 1 : 5;
        Path work = Files.createTempDirectory("twine-trial-speed");
        try {
            Path classes = work.resolve("classes");
            generateJava(work.resolve("src"));
            compile(work.resolve("src"), classes);
            String python = findTwisted();

            Map<String, Suite> suites = new LinkedHashMap<>();
            suites.put("twine fired", junit("twine-trial", classes, TRIVIAL, "bench.trial.fired"));
            suites.put("twine fired1", junit("twine-trial", classes, 1, "bench.trial.fired1"));
            suites.put("twine later10k", junit("twine-trial", classes, TRIVIAL, "bench.trial.later10k"));
            suites.put("twine later", junit("twine-trial", classes, LATER, "bench.trial.later"));
            suites.put("twine later1", junit("twine-trial", classes, 1, "bench.trial.later1"));
            suites.put("twine lambdas", junit("twine-trial", classes, LATER, "bench.trial.lambdas"));
            suites.put("twine lambdas1", junit("twine-trial", classes, 1, "bench.trial.lambdas1"));
            // Twine trial from its own command line too, as a person runs it (./twine trial, the script
            // included), beside Twisted's trial from its own: only when the harness knows the checkout.
            Path root = twineRoot();
            if (root != null) {
                suites.put("twine cli later", twineCommand(root, classes, LATER, "bench.trial.later.Later0Test"));
                suites.put("twine cli later1", twineCommand(root, classes, 1, "bench.trial.later1.Later0Test"));
            }
            suites.put("jupiter", junit("junit-jupiter", classes, TRIVIAL, "bench.jupiter.trivial"));
            suites.put("jupiter1", junit("junit-jupiter", classes, 1, "bench.jupiter.trivial1"));
            suites.put("jupiter1k", junit("junit-jupiter", classes, LATER, "bench.jupiter.trivial1k"));
            List<Row> rows = new ArrayList<>(List.of(
                    new Row("Twine trial: returns a fired Deferred", "twine fired", "twine fired1"),
                    new Row("Twine trial: fired by callLater(0)", "twine later10k", "twine later1"),
                    new Row("Twine trial: callLater(0), 1,000 alone (cold)", "twine later", "twine later1"),
                    new Row("  the same, a lambda per test (cold)", "twine lambdas", "twine lambdas1"),
                    new Row("JUnit Jupiter: an empty @Test", "jupiter", "jupiter1"),
                    new Row("JUnit Jupiter: an empty @Test, 1,000 alone (cold)", "jupiter1k", "jupiter1")));
            if (root != null) {
                rows.add(new Row("./twine trial: callLater(0), 1,000 alone (cold)", "twine cli later", "twine cli later1"));
                // Builds what the command needs (and its class-data archive) once, outside the timings.
                time("twine cli later1 (warm-up)", suites.get("twine cli later1"));
            }
            if (python != null) {
                generatePython(work);
                suites.put("twisted fired", twisted(python, work, TRIVIAL, "twisted_fired"));
                suites.put("twisted fired1", twisted(python, work, 1, "twisted_fired1"));
                suites.put("twisted later10k", twisted(python, work, TRIVIAL, "twisted_later10k"));
                suites.put("twisted later", twisted(python, work, LATER, "twisted_later"));
                suites.put("twisted later1", twisted(python, work, 1, "twisted_later1"));
                rows.addAll(List.of(
                        new Row("Twisted trial: returns succeed(None)", "twisted fired", "twisted fired1"),
                        new Row("Twisted trial: fired by callLater(0)", "twisted later10k", "twisted later1"),
                        new Row("Twisted trial: callLater(0), 1,000 alone", "twisted later", "twisted later1")));
            }

            Map<String, List<Timing>> samples = new LinkedHashMap<>();
            for (int r = 0; r < repeats; r++) {
                for (Map.Entry<String, Suite> suite : suites.entrySet()) {
                    samples.computeIfAbsent(suite.getKey(), k -> new ArrayList<>()).add(time(suite.getKey(), suite.getValue()));
                }
            }
            Map<String, Timing> medians = new LinkedHashMap<>();
            samples.forEach((name, timings) -> medians.put(name, median(timings)));

            System.out.printf("Cost of a trivial test, a fresh process per run, median of %d runs (JDK %s%s)%n", repeats,
                    Runtime.version(), python == null ? "; Twisted is not installed: its rows are left out" : "");
            System.out.printf("%-48s %7s %16s %16s%n", "tests", "count", "µs/test (wall)", "µs/test (own)");
            Map<String, double[]> costs = new LinkedHashMap<>();
            for (Row row : rows) {
                Timing many = medians.get(row.suite());
                Timing fewer = medians.get(row.baseline());
                int count = suites.get(row.suite()).tests() - suites.get(row.baseline()).tests();
                double wall = (many.wallSeconds() - fewer.wallSeconds()) / count * 1e6;
                double own = (many.runnerSeconds() - fewer.runnerSeconds()) / count * 1e6;
                costs.put(row.suite(), new double[] {wall, own});
                System.out.printf("%-48s %,7d %16.1f %16.1f%n", row.label(), count, wall, own);
            }
            System.out.printf("Start-up (a one-test suite, wall): Twine %.2f s, Jupiter %.2f s%s%s%n",
                    medians.get("twine fired1").wallSeconds(), medians.get("jupiter1").wallSeconds(),
                    root == null ? "" : String.format(", ./twine trial %.2f s", medians.get("twine cli later1").wallSeconds()),
                    python == null ? "" : String.format(", Twisted %.2f s", medians.get("twisted fired1").wallSeconds()));
            ratio("Twine fired Deferred / Jupiter empty test", costs.get("twine fired"), costs.get("jupiter"));
            ratio("  1,000 alone: Twine callLater(0) / Jupiter", costs.get("twine later"), costs.get("jupiter1k"));
            if (python != null) {
                ratio("Twine fired Deferred / Twisted succeed(None)", costs.get("twine fired"), costs.get("twisted fired"));
                ratio("Twine callLater(0) / Twisted callLater(0)", costs.get("twine later10k"), costs.get("twisted later10k"));
                ratio("  1,000 alone", costs.get("twine later"), costs.get("twisted later"));
                if (root != null) {
                    ratio("  1,000 alone, ./twine trial / Twisted's trial", costs.get("twine cli later"), costs.get("twisted later"));
                }
            }
            startUpRatio("Start-up: Twine / Jupiter (Console Launcher)", medians.get("twine later1"), medians.get("jupiter1"));
            if (root != null && python != null) {
                startUpRatio("Start-up: ./twine trial / Twisted's trial", medians.get("twine cli later1"), medians.get("twisted later1"));
            }
        } finally {
            deleteTree(work);
        }
    }

    /** The ratio of two one-test suites' wall times. */
    private static void startUpRatio(String label, Timing twine, Timing peer) {
        System.out.printf("%-48s %7s %15.2fx%n", label, "", twine.wallSeconds() / peer.wallSeconds());
    }

    private static void ratio(String label, double[] twine, double[] peer) {
        System.out.printf("%-48s %7s %15.2fx %15.2fx%n", label, "", twine[0] / peer[0], twine[1] / peer[1]);
    }

    private static Suite junit(String engine, Path classes, int tests, String... packages) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", absoluteClassPath() + File.pathSeparator + classes,
                "org.junit.platform.console.ConsoleLauncher", "execute", "--disable-banner", "--details=summary",
                "--disable-ansi-colors", "--include-engine=" + engine,
                // Two reactors are on the benchmarks' class path; trial's figure is measured on the built-in one.
                "--config=twine.reactor.provider=nio"));
        for (String packageName : packages) {
            command.add("--select-package=" + packageName);
        }
        // the packages' own classes, not those of sub-packages (fired1 is not part of fired)
        command.add("--include-classname=(" + Stream.of(packages).map(Pattern::quote).collect(Collectors.joining("|")) + ")\\.[^.]+");
        return new Suite(tests, command, classes, JUNIT_COUNT);
    }

    /**
     * The checkout whose {@code twine} script runs Twine trial's own command line: {@code twine.root}
     * ({@code ./twine bench} sets it), else null (the {@code ./twine trial} rows are left out).
     */
    private static Path twineRoot() {
        String root = System.getProperty("twine.root");
        if (root == null || !Files.isExecutable(Path.of(root, "twine"))) {
            return null;
        }
        return Path.of(root).toAbsolutePath();
    }

    /** {@code ./twine trial} on one class of the generated tests, on the built-in reactor's jar. */
    private static Suite twineCommand(Path root, Path classes, int tests, String className) throws IOException {
        Path reactorJars = root.resolve("reactor-impl/target");
        String reactor;
        try (Stream<Path> files = Files.list(reactorJars)) {
            reactor = files.filter(f -> f.getFileName().toString().matches("twine-reactor-impl-[^-]+(-SNAPSHOT)?\\.jar"))
                    .map(Path::toString).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no reactor-impl jar in " + reactorJars + ": build it first"));
        }
        List<String> command = List.of(root.resolve("twine").toString(), "trial", "--classpath",
                classes + File.pathSeparator + reactor, className);
        return new Suite(tests, command, classes, TRIAL_TIME);
    }

    private static String absoluteClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }

    private static Suite twisted(String python, Path work, int tests, String... modules) {
        List<String> command = new ArrayList<>(List.of(python, "-m", "twisted.trial", "--reporter=text",
                "--temp-directory=" + work.resolve("_trial_temp_" + String.join("_", modules))));
        command.addAll(List.of(modules));
        return new Suite(tests, command, work, TRIAL_TIME);
    }

    private static Timing time(String name, Suite suite) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(suite.command()).redirectErrorStream(true).directory(suite.directory().toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        String output = readAll(process.getInputStream());
        int status = process.waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        Matcher count = suite.countCheck().matcher(output);
        boolean allRan = count.find() && Integer.parseInt(count.group(1)) == suite.tests();
        if (status != 0 || !allRan) {
            throw new IllegalStateException(name + " did not run all " + suite.tests() + " tests successfully (exit "
                    + status + "):\n" + output);
        }
        double own;
        Matcher trial = TRIAL_TIME.matcher(output);
        Matcher junit = JUNIT_TIME.matcher(output);
        if (trial.find()) {
            own = Double.parseDouble(trial.group(2));
        } else if (junit.find()) {
            own = Long.parseLong(junit.group(1)) / 1e3;
        } else {
            own = Double.NaN;
        }
        return new Timing(wall, own);
    }

    private static Timing median(List<Timing> timings) {
        double[] wall = timings.stream().mapToDouble(Timing::wallSeconds).sorted().toArray();
        double[] own = timings.stream().mapToDouble(Timing::runnerSeconds).sorted().toArray();
        return new Timing(wall[wall.length / 2], own[own.length / 2]);
    }

    private static void generateJava(Path src) throws IOException {
        String fired = """
                    @dev.twine.trial.TrialTest
                    dev.twine.defer.Deferred<Void> t%1$d() {
                        return dev.twine.defer.Deferred.succeed(null);
                    }
                """;
        writeClasses(src, "bench.trial.fired", "Fired", TRIVIAL, "", fired);
        writeClasses(src, "bench.trial.fired1", "Fired", 1, "", fired);
        // Every lambda in Java is linked the first time its call site runs (about 100 µs here), so a
        // lambda per test would measure the JVM's linking, not the engine: the tests share one helper.
        // The "lambda each" suite shows what that linking costs.
        String helper = """
                    static dev.twine.defer.Deferred<Void> later(dev.twine.reactor.Reactor reactor) {
                        dev.twine.defer.Deferred<Void> d = new dev.twine.defer.Deferred<>();
                        reactor.callLater(java.time.Duration.ZERO, () -> d.callback(null));
                        return d;
                    }
                """;
        String viaHelper = """
                    @dev.twine.trial.TrialTest
                    dev.twine.defer.Deferred<Void> t%1$d(dev.twine.reactor.Reactor reactor) {
                        return later(reactor);
                    }
                """;
        writeClasses(src, "bench.trial.later10k", "Later", TRIVIAL, helper, viaHelper);
        writeClasses(src, "bench.trial.later", "Later", LATER, helper, viaHelper);
        writeClasses(src, "bench.trial.later1", "Later", 1, helper, viaHelper);
        String ownLambda = """
                    @dev.twine.trial.TrialTest
                    dev.twine.defer.Deferred<Void> t%1$d(dev.twine.reactor.Reactor reactor) {
                        dev.twine.defer.Deferred<Void> d = new dev.twine.defer.Deferred<>();
                        reactor.callLater(java.time.Duration.ZERO, () -> d.callback(null));
                        return d;
                    }
                """;
        writeClasses(src, "bench.trial.lambdas", "Lambdas", LATER, "", ownLambda);
        writeClasses(src, "bench.trial.lambdas1", "Lambdas", 1, "", ownLambda);
        String jupiter = """
                    @org.junit.jupiter.api.Test
                    void t%1$d() {
                    }
                """;
        writeClasses(src, "bench.jupiter.trivial", "Trivial", TRIVIAL, "", jupiter);
        writeClasses(src, "bench.jupiter.trivial1", "Trivial", 1, "", jupiter);
        writeClasses(src, "bench.jupiter.trivial1k", "Trivial", LATER, "", jupiter);
    }

    private static void writeClasses(Path src, String packageName, String prefix, int tests, String shared, String method)
            throws IOException {
        Path dir = src.resolve(packageName.replace('.', '/'));
        Files.createDirectories(dir);
        for (int c = 0; c * PER_CLASS < tests; c++) {
            StringBuilder body = new StringBuilder("package " + packageName + ";\n\npublic class " + prefix + c + "Test {\n");
            body.append(shared);
            for (int t = c * PER_CLASS; t < Math.min(tests, (c + 1) * PER_CLASS); t++) {
                body.append(String.format(method, t));
            }
            body.append("}\n");
            Files.writeString(dir.resolve(prefix + c + "Test.java"), body);
        }
    }

    private static void compile(Path src, Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("the trial suite needs a JDK (javax.tools), not a JRE");
        }
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                "-proc:none", "-nowarn"));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).forEach(args::add);
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (compiler.run(null, null, errors, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("generated tests did not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
    }

    private static void generatePython(Path work) throws IOException {
        writePython(work.resolve("twisted_fired.py"), TRIVIAL, "        return defer.succeed(None)\n");
        writePython(work.resolve("twisted_fired1.py"), 1, "        return defer.succeed(None)\n");
        String laterTest = """
                        d = defer.Deferred()
                        reactor.callLater(0, d.callback, None)
                        return d
                """;
        writePython(work.resolve("twisted_later10k.py"), TRIVIAL, laterTest);
        writePython(work.resolve("twisted_later.py"), LATER, laterTest);
        writePython(work.resolve("twisted_later1.py"), 1, laterTest);
    }

    private static void writePython(Path file, int tests, String body) throws IOException {
        StringBuilder text = new StringBuilder("from twisted.internet import defer, reactor\nfrom twisted.trial import unittest\n");
        for (int c = 0; c * PER_CLASS < tests; c++) {
            text.append("\n\nclass Case").append(c).append("(unittest.TestCase):\n");
            for (int t = c * PER_CLASS; t < Math.min(tests, (c + 1) * PER_CLASS); t++) {
                text.append("    def test_").append(t).append("(self):\n").append(body);
            }
        }
        Files.writeString(file, text);
    }

    /**
     * The first Python that can import Twisted's trial, else null: {@code $TWINE_PYTHON}, then the
     * system's (where Debian's python3-twisted goes), then whatever {@code python3} the path finds.
     */
    private static String findTwisted() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("TWINE_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.addAll(List.of("/usr/bin/python3", "python3"));
        for (String python : candidates) {
            try {
                Process probe = new ProcessBuilder(python, "-c", "import twisted.trial.runner").redirectErrorStream(true).start();
                readAll(probe.getInputStream());
                if (probe.waitFor() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // not there: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
