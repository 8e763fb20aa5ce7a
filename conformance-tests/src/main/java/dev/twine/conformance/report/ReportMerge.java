package dev.twine.conformance.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.conformance.Catalogue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Merges the JSON reports of the shards of one run ({@code ./twine conformance --shard i/n}) into the
 * report of the whole suite: the same rules, outcomes and verdict as one unsharded run. The merge
 * refuses, saying why, when the reports cannot be one run: they checked different reactors, a
 * shard is missing or given twice, a rule is reported twice, or a rule of the catalogue is in
 * none of them.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ReportMerge {
    private ReportMerge() {
    }

    /** Why reports cannot be merged; the message lists every problem found, one a line. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static final class MergeException extends Exception {
        private static final long serialVersionUID = 1L;

        MergeException(List<String> problems) {
            super(String.join("\n", problems));
        }
    }

    /** Reads and merges the JSON reports. */
    public static ConformanceReport merge(List<Path> files) throws MergeException {
        Map<String, ConformanceReport> reports = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                reports.put(file.toString(), ConformanceReport.parse(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                problems.add(file + " cannot be read as a conformance report: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new MergeException(problems);
        }
        return merge(reports);
    }

    /**
     * Merges reports named by where they came from (a file name, for the messages).
     *
     * @throws MergeException if they are not the shards of one run of the whole suite
     */
    public static ConformanceReport merge(Map<String, ConformanceReport> reports) throws MergeException {
        List<String> problems = new ArrayList<>();
        if (reports.isEmpty()) {
            throw new MergeException(List.of("no report to merge"));
        }
        Set<String> reactors = new LinkedHashSet<>();
        reports.values().forEach(r -> reactors.add(r.reactor()));
        if (reactors.size() > 1) {
            StringBuilder which = new StringBuilder("the reports checked different reactors:");
            reports.forEach((name, r) -> which.append("\n  ").append(name).append(": ").append(r.reactor()));
            problems.add(which.toString());
        }
        checkShards(reports, problems);

        Map<String, RuleResult> byId = new LinkedHashMap<>(); // the report sorts them into catalogue order
        Map<String, String> from = new LinkedHashMap<>();
        Map<String, List<String>> twice = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Instant started = null;
        double seconds = 0;
        for (Map.Entry<String, ConformanceReport> entry : reports.entrySet()) {
            ConformanceReport report = entry.getValue();
            for (RuleResult result : report.results()) {
                String earlier = from.putIfAbsent(result.id(), entry.getKey());
                if (earlier != null) {
                    twice.computeIfAbsent("in " + earlier + " and in " + entry.getKey(), k -> new ArrayList<>()).add(result.id());
                } else {
                    byId.put(result.id(), result);
                }
            }
            report.notes().stream().filter(n -> !notes.contains(n)).forEach(notes::add);
            started = started == null || report.started().isBefore(started) ? report.started() : started;
            seconds = Math.max(seconds, report.seconds());
        }
        twice.forEach((where, ids) -> problems.add((ids.size() == 1 ? "1 rule is" : ids.size() + " rules are")
                + " reported twice, " + where + ": " + list(ids) + " (shards of different splits or settings?)"));
        List<String> missing = Catalogue.rules().stream().map(Catalogue.Entry::id).filter(id -> !byId.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            problems.add(missing.size() + (missing.size() == 1 ? " rule of the suite is" : " rules of the suite are")
                    + " in no report, so the merge cannot give the whole suite's verdict: "
                    + list(missing) + " (a shard missing, or a run limited by --rules?)");
        }
        Set<String> known = new LinkedHashSet<>();
        Catalogue.rules().forEach(e -> known.add(e.id()));
        byId.keySet().stream().filter(id -> !known.contains(id)).forEach(id -> problems.add(id + " (in " + from.get(id)
                + ") is not a rule of this suite's catalogue: merge reports of the suite version that wrote them"));
        if (!problems.isEmpty()) {
            throw new MergeException(problems);
        }
        // The longest shard's time: the shards ran side by side.
        return new ConformanceReport(reactors.iterator().next(), started, seconds, List.copyOf(byId.values()), notes, null);
    }

    /** At most 20 ids, then "...". */
    private static String list(List<String> ids) {
        return String.join(" ", ids.size() > 20 ? ids.subList(0, 20) : ids) + (ids.size() > 20 ? " ..." : "");
    }

    /** The shards named, if any: all of one count, each once, none missing. */
    private static void checkShards(Map<String, ConformanceReport> reports, List<String> problems) {
        Map<String, String> shardFrom = new LinkedHashMap<>();
        Set<Integer> counts = new LinkedHashSet<>();
        for (Map.Entry<String, ConformanceReport> entry : reports.entrySet()) {
            String shard = entry.getValue().shard();
            if (shard == null) {
                if (reports.size() > 1) {
                    problems.add(entry.getKey() + " is a report of the whole suite, not of a shard: there is nothing to merge it with");
                }
                continue;
            }
            String earlier = shardFrom.putIfAbsent(shard, entry.getKey());
            if (earlier != null) {
                problems.add("shard " + shard + " is given twice: " + earlier + " and " + entry.getKey());
            }
            counts.add(Integer.parseInt(shard.substring(shard.indexOf('/') + 1)));
        }
        if (counts.size() > 1) {
            problems.add("the reports come from splits into different numbers of shards: " + shardFrom.keySet());
        } else if (counts.size() == 1) {
            int n = counts.iterator().next();
            for (int i = 1; i <= n; i++) {
                if (!shardFrom.containsKey(i + "/" + n)) {
                    problems.add("shard " + i + "/" + n + " is missing");
                }
            }
        }
    }
}
