package dev.twine.trial.cli;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import dev.twine.trial.TrialKeys;
import dev.twine.trial.TrialTest;
import dev.twine.trial.reporter.TreeReporter;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apiguardian.api.API;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherConstants;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherExecutionRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import dev.twine.cli.Cli;
import dev.twine.cli.TwineCommand;
import dev.twine.cli.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./twine trial}: trial's command line on the JUnit Platform. It asks the platform's {@link
 * Launcher} to run the {@code twine-trial} engine's tests on the selected classes and prints them with
 * trial's {@link TreeReporter}; the options become the engine's configuration parameters. Exit status
 * as trial's: 0 when no test failed nor had an error, 1 when one did, and 2 for a mistake on the
 * command line.
 */
@Command(name = "trial", mixinStandardHelpOptions = true, sortOptions = false,
        usageHelpWidth = 100,
        description = "Runs trial tests (@TrialTest) and reports them as Twisted's trial does: the tree of tests with"
                + " [OK], [FAIL], [ERROR], [SKIPPED], [TODO] or [SUCCESS!?!], the details of each problem, and the"
                + " summary line, PASSED (successes=7) or FAILED (failures=1, errors=2, successes=7).",
        footer = {"", "Examples:",
            "  ./twine trial --tutorial                         the tutorial's tests",
            "  ./twine trial --tutorial -z 7 dev.twine.tutorial.PoetryTest",
            "                                                   one class of them, shuffled with seed 7",
            "  ./twine trial -cp target/test-classes:LIBS       every trial test in target/test-classes",
            "  ./twine trial -cp CP com.example.PoemTest#getsThePoem",
            "                                                   one test",
            "",
            "--tutorial (./twine only) puts the tutorial's compiled tests and their libraries on the class path",
            "and selects nio (--reactor) unless told otherwise; with no SELECTOR, all of its tests run.",
            "Exit status: 0 PASSED, 1 FAILED, 2 a mistake on the command line."})
@API(status = INTERNAL, since = "0.1")
public final class TrialCommand implements TwineCommand, Callable<Integer> {

    @Parameters(paramLabel = "SELECTOR", arity = "0..*",
            description = "What to run: a class (com.example.PoemTest), a test (com.example.PoemTest#getsThePoem or"
                    + " com.example.PoemTest.getsThePoem) or a package (com.example). With none, every trial test"
                    + " in the directories of --classpath; with neither, this help.")
    List<String> selectors = new ArrayList<>();

    @Option(names = {"-cp", "--classpath"}, paramLabel = "PATH",
            description = "Where the tests and what they need are: directories and jars, separated by '${sys:path.separator}'.")
    String classpath;

    @Option(names = {"-z", "--random"}, paramLabel = "SEED",
            description = "Run the classes, and the tests of each, in an order shuffled with SEED (0: pick one and print it).")
    Long random;

    @Option(names = {"-u", "--until-failure"},
            description = "Run the tests again and again, printing 'Test Pass N' before each run, until one fails.")
    boolean untilFailure;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Run N classes at once, each on its own reactor; each class's lines are printed when it ends"
                    + " (default: 1).")
    Integer jobs;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run only share I of N of the test classes (2/4: the second of four), dealt the same way on every"
                    + " machine; with --config twine.trial.shard.timings=FILE, balanced by recorded times.")
    String shard;

    @Option(names = {"-x", "--exitfirst"},
            description = "Stop at the first test that fails or has an error; the tests not yet started do not run.")
    boolean exitFirst;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "The default timeout of each phase of a test (default: 120; a test's @Timeout wins).")
    BigDecimal timeout;

    @Option(names = "--reactor", paramLabel = "NAME",
            description = "The reactor provider the tests run on: a registered name (nio, netty) or a class name"
                    + " (default: the only one on the class path).")
    String reactor;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "Any other configuration parameter of the engine, e.g. twine.trial.uncleanWarnings=true.")
    Map<String, String> config = new LinkedHashMap<>();

    /** How many passes --until-failure runs at most (tests bound it; a person stops it with Ctrl-C, as trial's). */
    int maxPasses = Integer.MAX_VALUE;

    private final PrintStream out;
    private final PrintWriter err;

    TrialCommand(PrintStream out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, new PrintWriter(System.err, true), args));
    }

    /** Runs the command line; returns the exit status. */
    public static int run(PrintStream out, PrintWriter err, String... args) {
        return commandLine(new TrialCommand(out, err), out, err).execute(args);
    }

    static CommandLine commandLine(TrialCommand command, PrintStream out, PrintWriter err) {
        return Cli.of(command, new PrintWriter(out, true), err).commandLine();
    }

    /** As {@link java.util.ServiceLoader} creates it, for {@code ./twine completion}. */
    public TrialCommand() {
        this(System.out, new PrintWriter(System.err, true));
    }

    @Override
    public String name() {
        return "trial";
    }

    @Override
    public CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return Cli.of(new TrialCommand(), out, err).commandLine();
    }

    @Override
    public Integer call() throws IOException {
        if (selectors.isEmpty() && classpath == null) {
            new CommandLine(this).usage(new PrintWriter(out, true));
            return 0;
        }
        Map<String, String> parameters = configurationParameters();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls(), TrialCommand.class.getClassLoader())) {
            // The launcher finds engines, and the engine finds classes and reactor providers, through it.
            thread.setContextClassLoader(loader);
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(discoverySelectors(loader))
                    .filters(EngineFilter.includeEngines(TrialKeys.ENGINE_ID))
                    .configurationParameters(parameters)
                    .build();
            for (int pass = 1; pass <= maxPasses; pass++) {
                if (untilFailure) {
                    out.println("Test Pass " + pass);
                }
                TreeReporter.Summary summary = runOnce(request);
                if (summary.testsRun() == 0 && pass == 1) {
                    err.println("trial: no trial test found (a @TrialTest method in the selected classes)");
                }
                if (!summary.wasSuccessful()) {
                    return 1;
                }
                if (!untilFailure) {
                    return 0;
                }
            }
            return 0;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private TreeReporter.Summary runOnce(LauncherDiscoveryRequest request) {
        TreeReporter reporter = new TreeReporter(out);
        CancellationToken token = CancellationToken.create();
        if (exitFirst) {
            reporter.stopAtFirstProblem(token);
        }
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherExecutionRequestBuilder.request(request).listeners(reporter).cancellationToken(token).build());
        return reporter.summary().orElseThrow();
    }

    /** The engine's configuration parameters the options stand for. */
    Map<String, String> configurationParameters() {
        Map<String, String> parameters = new LinkedHashMap<>(config);
        if (random != null) {
            parameters.put(TrialKeys.RANDOM, random.toString());
        }
        if (jobs != null) {
            if (jobs < 1) {
                throw new UsageException("-j needs at least 1 class at once, got " + jobs);
            }
            parameters.put(TrialKeys.PARALLEL, jobs.toString());
        }
        if (timeout != null) {
            if (timeout.signum() <= 0) {
                throw new UsageException("--timeout must be a positive number of seconds, got " + timeout.toPlainString());
            }
            parameters.put(TrialKeys.TIMEOUT, timeout.toPlainString());
        }
        if (reactor != null) {
            parameters.put(TrialKeys.REACTOR_PROVIDER, reactor);
        }
        if (shard != null) {
            try {
                parameters.put(TrialKeys.SHARD, dev.twine.trial.engine.config.Shard.parse(shard).toString());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--shard: " + e.getMessage());
            }
        }
        // This command prints with its own reporter: the registered one stays quiet even if a
        // junit-platform.properties on the class path turns it on.
        parameters.put(LauncherConstants.DEACTIVATE_LISTENERS_PATTERN_PROPERTY_NAME, TreeReporter.class.getName());
        return parameters;
    }

    /** The entries of --classpath, each of which must exist. */
    List<Path> classpathEntries() {
        List<Path> entries = new ArrayList<>();
        if (classpath == null) {
            return entries;
        }
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry);
            if (!Files.exists(path)) {
                throw new UsageException("--classpath: no such file or directory: " + entry);
            }
            entries.add(path);
        }
        return entries;
    }

    private URL[] urls() {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classpathEntries()) {
            try {
                urls.add(entry.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new UncheckedIOException(e);
            }
        }
        return urls.toArray(URL[]::new);
    }

    /** What each SELECTOR names, looked up on {@code loader}; with none, the directories of --classpath. */
    List<DiscoverySelector> discoverySelectors(ClassLoader loader) {
        List<DiscoverySelector> found = new ArrayList<>();
        if (selectors.isEmpty()) {
            Set<Path> directories = new LinkedHashSet<>();
            for (Path entry : classpathEntries()) {
                if (Files.isDirectory(entry)) {
                    directories.add(entry.toAbsolutePath());
                }
            }
            if (directories.isEmpty()) {
                throw new UsageException("--classpath has no directory of tests to look in: name the classes to run");
            }
            found.addAll(selectClasspathRoots(directories));
            return found;
        }
        for (String selector : selectors) {
            found.addAll(select(selector.trim(), loader));
        }
        return found;
    }

    private static List<DiscoverySelector> select(String name, ClassLoader loader) {
        int hash = name.indexOf('#');
        if (hash > 0) {
            Class<?> type = load(name.substring(0, hash), loader);
            if (type == null) {
                throw new UsageException("no class " + name.substring(0, hash) + " on the class path");
            }
            String method = name.substring(hash + 1);
            if (method.contains("(")) {
                return List.of(selectMethod(name));
            }
            List<DiscoverySelector> tests = tests(type, method);
            if (tests.isEmpty()) {
                throw new UsageException("no @TrialTest method " + method + " in " + type.getName());
            }
            return tests;
        }
        Class<?> type = load(name, loader);
        if (type != null) {
            return List.of(selectClass(type));
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            Class<?> owner = load(name.substring(0, dot), loader);
            if (owner != null) {
                List<DiscoverySelector> tests = tests(owner, name.substring(dot + 1));
                if (tests.isEmpty()) {
                    throw new UsageException("no @TrialTest method " + name.substring(dot + 1) + " in " + owner.getName());
                }
                return tests;
            }
        }
        if (!name.isEmpty() && loader.getResource(name.replace('.', '/')) != null) {
            return List.of(selectPackage(name));
        }
        throw new UsageException("no class, test or package named '" + name + "' on the class path");
    }

    /** The trial tests of {@code type} named {@code method}, whatever their parameters. */
    private static List<DiscoverySelector> tests(Class<?> type, String method) {
        List<DiscoverySelector> tests = new ArrayList<>();
        for (Method candidate : ReflectionSupport.findMethods(type, m -> m.getName().equals(method)
                && m.isAnnotationPresent(TrialTest.class), HierarchyTraversalMode.TOP_DOWN)) {
            tests.add(selectMethod(type, candidate));
        }
        return tests;
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
