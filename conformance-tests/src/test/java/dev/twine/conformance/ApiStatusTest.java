package dev.twine.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.conformance.harness.Rut;
import dev.twine.defer.Deferred;
import dev.twine.trial.TrialTest;
import dev.twine.trial.engine.TrialTestEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.apiguardian.api.API.Status;
import org.junit.jupiter.api.Test;

/**
 * Every public type of reactor-api, trial-engine and conformance-tests states its stability with
 * {@code @API}, as JUnit's do: a new public type without one fails here. The packages users build
 * on are STABLE; engine and harness internals, public only because other packages of the same
 * module use them, are INTERNAL.
 */
class ApiStatusTest {

    /** One class of each module whose public types are checked; the module is where it was loaded from. */
    private static final List<Class<?>> MODULES = List.of(Deferred.class, TrialTest.class, ReactorConformance.class);

    @Test
    void everyPublicTypeHasAnApiStatus() throws Exception {
        List<String> missing = new ArrayList<>();
        Map<String, Status> statuses = publicTypeStatuses(missing);
        assertThat(missing).as("public types without @API(status = ...): annotate them").isEmpty();
        assertThat(statuses).as("the scan found the modules' types").hasSizeGreaterThan(150);
    }

    @Test
    void whatUsersBuildOnIsStableAndTheEngineIsInternal() throws Exception {
        Map<String, Status> statuses = publicTypeStatuses(new ArrayList<>());
        assertThat(statuses).containsEntry(Deferred.class.getName(), Status.STABLE)
                .containsEntry(TrialTest.class.getName(), Status.STABLE)
                .containsEntry(ReactorConformance.class.getName(), Status.STABLE)
                .containsEntry(TrialTestEngine.class.getName(), Status.INTERNAL)
                .containsEntry(Rut.class.getName(), Status.INTERNAL);
        assertThat(statuses.entrySet()).filteredOn(e -> e.getKey().startsWith("dev.twine.trial.engine."))
                .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).isEqualTo(Status.INTERNAL));
    }

    private static Map<String, Status> publicTypeStatuses(List<String> missing) throws Exception {
        Map<String, Status> statuses = new TreeMap<>();
        for (Class<?> anchor : MODULES) {
            for (String name : classNames(Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()))) {
                Class<?> type = Class.forName(name, false, anchor.getClassLoader());
                if (!isPublicApi(type)) {
                    continue;
                }
                API api = type.getAnnotation(API.class);
                if (api == null) {
                    missing.add(name);
                } else {
                    statuses.put(name, api.status());
                }
            }
        }
        return statuses;
    }

    /** Public, and so are all the types it is nested in; anonymous and local classes are not API. */
    private static boolean isPublicApi(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> classNames(Path location) throws IOException, URISyntaxException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.map(location::relativize).map(Path::toString).forEach(f -> addClass(names, f.replace('\\', '/')));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream().forEach(e -> addClass(names, e.getName()));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return names;
    }

    private static void addClass(List<String> names, String file) {
        if (file.endsWith(".class") && !file.endsWith("package-info.class") && !file.endsWith("module-info.class")) {
            names.add(file.substring(0, file.length() - ".class".length()).replace('/', '.'));
        }
    }
}
