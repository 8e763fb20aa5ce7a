package dev.twine.trial.engine.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Internal. The timings file that balances shards ({@link dev.twine.trial.TrialKeys#SHARD_TIMINGS}):
 * plain UTF-8 text, one test class a line, {@code <seconds> <class name>} ({@code 1.250
 * com.example.PoemTest}); blank lines and lines starting with {@code #} are ignored; a class named
 * twice keeps its last time. The engine writes it with {@link dev.twine.trial.TrialKeys#SHARD_RECORD};
 * the files of several shards concatenated ({@code cat}) are one valid file.
 */
@API(status = INTERNAL, since = "0.1")
public final class ClassTimings {
    private ClassTimings() {
    }

    /** The first line of a written file. */
    static final String HEADER = "# twine trial class timings: <seconds> <test class>, one class a line";

    /** Reads a timings file; throws IllegalArgumentException naming the bad line. */
    public static Map<String, Double> read(Path file) throws IOException {
        Map<String, Double> seconds = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            double value;
            try {
                value = parts.length == 2 ? Double.parseDouble(parts[0]) : Double.NaN;
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not '<seconds> <test class>': '" + line + "'");
            }
            seconds.put(parts[1], value);
        }
        return seconds;
    }

    /** Writes the seconds of each class, by class name. */
    public static void write(Path file, Map<String, Double> seconds) throws IOException {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        new TreeMap<>(seconds).forEach((name, s) -> out.append(String.format(Locale.ROOT, "%.3f %s%n", s, name)));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }
}
