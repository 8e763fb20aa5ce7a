package dev.twine.conformance.report;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.conformance.Catalogue;
import dev.twine.conformance.harness.Platform;
import dev.twine.reactor.Capability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The outcome of one run of the suite: every rule that ran, how it came out, and why; written as a
 * console table, as JSON and as a self-contained HTML page.
 *
 * @param reactor the provider under test, {@code name (class): capabilities}, as its rules reported it
 * @param started when the run started
 * @param seconds how long the run took
 * @param results the rules, in catalogue order
 * @param notes what the reader should know besides the rules (optional interfaces the reactor
 *     implements but its provider does not declare, so they were not checked)
 * @param shard the share of the suite this run checked ({@code 2/4}, see {@code --shard}), or null for
 *     the whole suite (or a merge of all its shards)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ConformanceReport(String reactor, Instant started, double seconds, List<RuleResult> results,
        List<String> notes, String shard) {

    /** The file names written under the report directory. */
    public static final String JSON_FILE = "conformance.json";
    public static final String HTML_FILE = "conformance.html";

    /** Copies and sorts the results into catalogue order. */
    public ConformanceReport {
        List<RuleResult> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Catalogue.ORDER.compare(a.id(), b.id()));
        results = List.copyOf(sorted);
        notes = List.copyOf(notes);
    }

    /** A report of the whole suite. */
    public ConformanceReport(String reactor, Instant started, double seconds, List<RuleResult> results, List<String> notes) {
        this(reactor, started, seconds, results, notes, null);
    }

    /** A report of the whole suite with no notes. */
    public ConformanceReport(String reactor, Instant started, double seconds, List<RuleResult> results) {
        this(reactor, started, seconds, results, List.of());
    }

    /**
     * Reads back a report {@link #json()} wrote.
     *
     * @throws IllegalArgumentException saying what is missing or malformed
     */
    @SuppressWarnings("unchecked")
    public static ConformanceReport parse(String json) {
        Object root = JsonReader.parse(json);
        if (!(root instanceof Map<?, ?> map) || !(map.get("rules") instanceof List<?> rules)
                || !(map.get("reactor") instanceof String reactor)) {
            throw new IllegalArgumentException("not a conformance report (no reactor or rules)");
        }
        List<RuleResult> results = new ArrayList<>();
        for (Object item : rules) {
            Map<String, Object> r = (Map<String, Object>) item;
            try {
                results.add(new RuleResult((String) r.get("id"), Capability.valueOf((String) r.get("capability")),
                        (String) r.get("rule"), Status.valueOf((String) r.get("status")), (Double) r.get("seconds"),
                        (String) r.get("reason"), (String) r.get("test")));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("rule " + r.get("id") + " is malformed: " + e);
            }
        }
        List<String> notes = map.get("notes") instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
        Instant started = map.get("started") instanceof String text ? Instant.parse(text) : Instant.EPOCH;
        double seconds = map.get("seconds") instanceof Double d ? d : 0;
        return new ConformanceReport(reactor, started, seconds, results, notes, (String) map.get("shard"));
    }

    /**
     * The rules skipped because this platform cannot provoke what they check (their reason starts
     * with {@link Platform#REASON_PREFIX}), as opposed to rules of capabilities not declared.
     */
    public List<RuleResult> uncheckable() {
        return results.stream().filter(r -> r.status() == Status.SKIPPED && Platform.isPlatformSkip(r.reason())).toList();
    }

    /**
     * The verdict in words: "CONFORMS", "CONFORMS, 1 rule could not be checked on this platform",
     * or "DOES NOT CONFORM (...)".
     */
    public String verdict() {
        if (!failures().isEmpty()) {
            return requiredFailed() ? "DOES NOT CONFORM (a required rule failed)"
                    : "DOES NOT CONFORM (a rule of a declared optional capability failed)";
        }
        int n = uncheckable().size();
        return n == 0 ? "CONFORMS" : "CONFORMS, " + n + (n == 1 ? " rule" : " rules") + " could not be checked on this platform";
    }

    /** How many rules came out each way. */
    public Map<Status, Integer> counts() {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status status : Status.values()) {
            counts.put(status, 0);
        }
        for (RuleResult result : results) {
            counts.merge(result.status(), 1, Integer::sum);
        }
        return counts;
    }

    /** For each capability that has rules here, how many came out each way. */
    public Map<Capability, Map<Status, Integer>> byCapability() {
        Map<Capability, Map<Status, Integer>> table = new EnumMap<>(Capability.class);
        for (RuleResult result : results) {
            table.computeIfAbsent(result.capability(), c -> {
                Map<Status, Integer> counts = new EnumMap<>(Status.class);
                for (Status status : Status.values()) {
                    counts.put(status, 0);
                }
                return counts;
            }).merge(result.status(), 1, Integer::sum);
        }
        return table;
    }

    /** The rules that failed. */
    public List<RuleResult> failures() {
        return results.stream().filter(r -> r.status() == Status.FAILED).toList();
    }

    /** Whether a rule of a required capability failed. */
    public boolean requiredFailed() {
        return results.stream().anyMatch(r -> r.status() == Status.FAILED && r.capability().isRequired());
    }

    // ------------------------------------------------------------------------------------------
    // Console

    /** The table printed at the end of a run. */
    public String console(List<Path> files) {
        StringBuilder out = new StringBuilder();
        String rule = "-".repeat(79);
        out.append('\n').append(rule).append('\n');
        out.append("Twine reactor conformance: ").append(reactor).append('\n');
        if (shard != null) {
            out.append("Shard ").append(shard).append(" of the suite: merge the shards' JSON reports for the verdict ")
                    .append("(./twine report merge)\n");
        }
        out.append(rule).append('\n');
        out.append(String.format(Locale.ROOT, "%-9s %-8s %9s  %s%n", "RULE", "STATUS", "TIME", "WHAT A REACTOR MUST DO"));
        for (RuleResult r : results) {
            out.append(String.format(Locale.ROOT, "%-9s %-8s %7.3f s  %s%n", r.id(), r.status(), r.seconds(),
                    shorten(r.says(), 52)));
        }
        List<RuleResult> failures = failures();
        if (!failures.isEmpty()) {
            out.append(rule).append('\n').append("FAILED\n");
            for (RuleResult r : failures) {
                out.append(String.format(Locale.ROOT, "%-9s %s%n", r.id(), r.says()));
                out.append(String.format(Locale.ROOT, "%-9s instead: %s%n", "", shorten(oneLine(r.reason()), 400)));
                out.append(String.format(Locale.ROOT, "%-9s (%s)%n", "", r.test()));
            }
        }
        out.append(rule).append('\n');
        out.append(String.format(Locale.ROOT, "%-12s %5s %7s %7s %8s%n", "CAPABILITY", "RULES", "PASSED", "FAILED", "SKIPPED"));
        byCapability().forEach((capability, counts) -> out.append(String.format(Locale.ROOT, "%-12s %5d %7d %7d %8d%s%n",
                capability.name() + (capability.isRequired() ? "" : "*"), total(counts), counts.get(Status.PASSED),
                counts.get(Status.FAILED), counts.get(Status.SKIPPED), skipNote(capability))));
        out.append("(* optional: its rules run only when the provider declares it)\n");
        Map<Status, Integer> counts = counts();
        out.append(String.format(Locale.ROOT, "%d rules: %d passed, %d failed, %d skipped, in %.1f s%n", results.size(),
                counts.get(Status.PASSED), counts.get(Status.FAILED), counts.get(Status.SKIPPED), seconds));
        if (!files.isEmpty()) {
            out.append("Reports: ");
            for (int i = 0; i < files.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(files.get(i));
            }
            out.append('\n');
        }
        for (String note : notes) {
            out.append("NOTE: ").append(note).append('\n');
        }
        out.append(verdict()).append('\n');
        for (RuleResult r : uncheckable()) {
            out.append(String.format(Locale.ROOT, "  %-9s %s%n", r.id(), r.reason().substring(Platform.REASON_PREFIX.length())));
        }
        return out.toString();
    }

    private String skipNote(Capability capability) {
        List<String> reasons = results.stream().filter(r -> r.capability() == capability && r.status() == Status.SKIPPED)
                .map(RuleResult::reason).distinct().toList();
        return reasons.size() == 1 ? "  (" + reasons.get(0) + ")" : "";
    }

    private static int total(Map<Status, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    // ------------------------------------------------------------------------------------------
    // Files

    /** Writes the JSON and HTML reports into {@code directory}; returns the files. */
    public List<Path> write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path json = directory.resolve(JSON_FILE);
        Path html = directory.resolve(HTML_FILE);
        Files.writeString(json, json(), StandardCharsets.UTF_8);
        Files.writeString(html, html(), StandardCharsets.UTF_8);
        return List.of(json, html);
    }

    /** The report as JSON. */
    public String json() {
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"reactor\": ").append(quote(reactor)).append(",\n");
        out.append("  \"started\": ").append(quote(started.toString())).append(",\n");
        out.append("  \"seconds\": ").append(number(seconds)).append(",\n");
        out.append("  \"shard\": ").append(quote(shard)).append(",\n");
        Map<Status, Integer> counts = counts();
        out.append("  \"counts\": {");
        appendCounts(out, counts);
        out.append("},\n");
        out.append("  \"conforms\": ").append(failures().isEmpty()).append(",\n");
        out.append("  \"verdict\": ").append(quote(verdict())).append(",\n");
        out.append("  \"uncheckable\": [").append(String.join(", ", uncheckable().stream().map(r -> quote(r.id())).toList()))
                .append("],\n");
        out.append("  \"notes\": [").append(String.join(", ", notes.stream().map(ConformanceReport::quote).toList()))
                .append("],\n");
        out.append("  \"capabilities\": {");
        List<String> parts = new ArrayList<>();
        byCapability().forEach((capability, c) -> {
            StringBuilder part = new StringBuilder("\n    ").append(quote(capability.name())).append(": {\"required\": ")
                    .append(capability.isRequired()).append(", ");
            appendCounts(part, c);
            parts.add(part.append('}').toString());
        });
        out.append(String.join(",", parts)).append("\n  },\n");
        out.append("  \"rules\": [");
        for (int i = 0; i < results.size(); i++) {
            RuleResult r = results.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    {\"id\": ").append(quote(r.id()))
                    .append(", \"capability\": ").append(quote(r.capability().name()))
                    .append(", \"required\": ").append(r.capability().isRequired())
                    .append(", \"status\": ").append(quote(r.status().name()))
                    .append(", \"seconds\": ").append(number(r.seconds()))
                    .append(", \"rule\": ").append(quote(r.says()))
                    .append(", \"reason\": ").append(quote(r.reason()))
                    .append(", \"test\": ").append(quote(r.test())).append('}');
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    private static void appendCounts(StringBuilder out, Map<Status, Integer> counts) {
        out.append("\"rules\": ").append(total(counts));
        for (Status status : Status.values()) {
            out.append(", \"").append(status.name().toLowerCase(Locale.ROOT)).append("\": ").append(counts.get(status));
        }
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A JSON string literal. */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * The report as one HTML page that needs nothing else (no fetch: its style and script are in
     * the page). It opens on the verdict, a bar per capability (passed, failed, skipped) and the
     * table of rules, which can be filtered by status and capability and searched by rule id and
     * sentence; a failure's details open in place. The filters live in the address's fragment, so a
     * filtered view can be linked: {@code conformance.html#status=failed&capability=TCP&q=close}.
     * Without JavaScript every rule is shown.
     */
    public String html() {
        StringBuilder out = new StringBuilder();
        Map<Status, Integer> counts = counts();
        boolean conforms = failures().isEmpty();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Twine reactor conformance: ").append(escape(reactor)).append("</title>\n<style>\n")
                .append(HTML_STYLE).append("</style>\n</head>\n<body>\n");
        out.append("<h1>Twine reactor conformance</h1>\n");
        out.append("<p>Reactor under test: <code>").append(escape(reactor)).append("</code><br>\n");
        out.append("Started ").append(escape(started.toString())).append(", took ")
                .append(String.format(Locale.ROOT, "%.1f", seconds)).append(" s.");
        if (shard != null) {
            out.append(" Shard ").append(escape(shard)).append(" of the suite.");
        }
        out.append("</p>\n");
        out.append("<p class=\"verdict ").append(conforms ? "PASSED" : "FAILED").append("\" id=\"verdict\">")
                .append(conforms ? escape(verdict()) : requiredFailed() ? "Does not conform: a required rule failed"
                        : "Does not conform: a rule of a declared optional capability failed")
                .append(" &mdash; <span id=\"total\">").append(results.size()).append("</span> rules: ")
                .append("<a href=\"#status=passed\" class=\"PASSED\" id=\"count-passed\">").append(counts.get(Status.PASSED))
                .append(" passed</a>, <a href=\"#status=failed\" class=\"FAILED\" id=\"count-failed\">")
                .append(counts.get(Status.FAILED)).append(" failed</a>, <a href=\"#status=skipped\" class=\"SKIPPED\" ")
                .append("id=\"count-skipped\">").append(counts.get(Status.SKIPPED)).append(" skipped</a></p>\n");
        for (String note : notes) {
            out.append("<p class=\"note\">Note: ").append(escape(note)).append("</p>\n");
        }

        out.append("<h2>By capability</h2>\n<table class=\"capabilities\">\n<tr><th>Capability</th><th>Kind</th>")
                .append("<th class=\"barcell\">Passed / failed / skipped</th><th>Rules</th><th>Passed</th><th>Failed</th>")
                .append("<th>Skipped</th><th>Note</th></tr>\n");
        byCapability().forEach((capability, c) -> {
            int total = total(c);
            out.append("<tr class=\"capability\" data-capability=\"").append(capability.name()).append("\"><td>")
                    .append("<a href=\"#capability=").append(capability.name()).append("\">").append(capability.name())
                    .append("</a></td><td>").append(capability.isRequired() ? "required" : "optional")
                    .append("</td><td class=\"barcell\"><div class=\"bar\" role=\"img\" aria-label=\"").append(capability.name())
                    .append(": ").append(c.get(Status.PASSED)).append(" passed, ").append(c.get(Status.FAILED))
                    .append(" failed, ").append(c.get(Status.SKIPPED)).append(" skipped\">");
            for (Status status : Status.values()) {
                if (c.get(status) > 0) {
                    out.append("<span class=\"seg ").append(status).append("\" style=\"width:")
                            .append(String.format(Locale.ROOT, "%.2f", 100.0 * c.get(status) / total)).append("%\"></span>");
                }
            }
            out.append("</div></td><td class=\"n\">").append(total).append("</td><td class=\"n\">").append(c.get(Status.PASSED))
                    .append("</td><td class=\"n\">").append(c.get(Status.FAILED)).append("</td><td class=\"n\">")
                    .append(c.get(Status.SKIPPED)).append("</td><td>").append(escape(skipNote(capability).strip()))
                    .append("</td></tr>\n");
        });
        out.append("</table>\n");

        out.append("<h2>Rules</h2>\n<form class=\"filters\" id=\"filters\" onsubmit=\"return false\">\n")
                .append("<label>Status <select id=\"status\"><option value=\"\">all</option>");
        for (Status status : Status.values()) {
            String name = status.name().toLowerCase(Locale.ROOT);
            out.append("<option value=\"").append(name).append("\">").append(name).append("</option>");
        }
        out.append("</select></label>\n<label>Capability <select id=\"capability\"><option value=\"\">all</option>");
        for (Capability capability : byCapability().keySet()) {
            out.append("<option value=\"").append(capability.name()).append("\">").append(capability.name()).append("</option>");
        }
        out.append("</select></label>\n<label>Search <input id=\"q\" type=\"search\" placeholder=\"rule id or words\">")
                .append("</label>\n<span class=\"shown\">Showing <span id=\"shown\">").append(results.size())
                .append("</span> of ").append(results.size()).append(" rules</span>\n</form>\n");
        out.append("<table class=\"rules\" id=\"rules\">\n<thead><tr><th>Rule</th><th>Capability</th><th>Status</th>")
                .append("<th>Time</th><th>What a reactor must do</th><th>Reason</th></tr></thead>\n<tbody>\n");
        for (RuleResult r : results) {
            String search = (r.id() + " " + r.says() + " " + r.test()).toLowerCase(Locale.ROOT);
            out.append("<tr class=\"rule ").append(r.status()).append("\" id=\"").append(escape(r.id()))
                    .append("\" data-status=\"").append(r.status().name().toLowerCase(Locale.ROOT))
                    .append("\" data-capability=\"").append(r.capability().name())
                    .append("\" data-search=\"").append(escape(search)).append("\"><td><code>")
                    .append(escape(r.id())).append("</code></td><td>").append(r.capability().name())
                    .append("</td><td class=\"").append(r.status()).append("\">").append(r.status())
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%.3f s", r.seconds()))
                    .append("</td><td>").append(escape(r.says())).append("<br><small><code>").append(escape(r.test()))
                    .append("</code></small></td><td class=\"reason\">");
            if (r.status() == Status.FAILED) {
                out.append("<details class=\"failure\"><summary>").append(escape(shorten(oneLine(r.reason()), 120)))
                        .append("</summary><pre>").append(escape(r.reason())).append("</pre></details>");
            } else {
                out.append(escape(r.reason()));
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n<p id=\"none\" hidden>No rule matches these filters.</p>\n");
        out.append("<script>\n").append(HTML_SCRIPT).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    private static final String HTML_STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
            table{border-collapse:collapse;margin:.5em 0}
            th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
            th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .PASSED{color:#176b2c;font-weight:600}.FAILED{color:#b3261e;font-weight:600}.SKIPPED{color:#6b6b6b;font-weight:600}
            tr.FAILED td{background:#fdecea}.verdict{font-size:1.1em;font-weight:700}
            code{font-size:.9em}.reason{font-size:.9em;white-space:pre-wrap}
            .reason pre{white-space:pre-wrap;margin:.4em 0 0}details.failure summary{cursor:pointer}
            .barcell{width:16em}.bar{display:flex;height:.9em;background:#eee;border-radius:3px;overflow:hidden}
            .seg.PASSED{background:#2e9a4a}.seg.FAILED{background:#d33b30}.seg.SKIPPED{background:#b5b5b5}
            .filters{display:flex;flex-wrap:wrap;gap:1em;align-items:center;margin:.5em 0}
            .shown{color:#555}[hidden]{display:none!important}
            """;

    /** Applies the filters of the address's fragment (status, capability, q) and keeps it in step with the form. */
    private static final String HTML_SCRIPT = """
            (function () {
              var rows = Array.prototype.slice.call(document.querySelectorAll('tr.rule'));
              var status = document.getElementById('status');
              var capability = document.getElementById('capability');
              var q = document.getElementById('q');
              function hashParams() {
                var params = {};
                location.hash.replace(/^#/, '').split('&').forEach(function (pair) {
                  var at = pair.indexOf('=');
                  if (at > 0) params[decodeURIComponent(pair.slice(0, at))] = decodeURIComponent(pair.slice(at + 1));
                });
                return params;
              }
              function choose(select, value) {
                select.value = '';
                for (var i = 0; i < select.options.length; i++) {
                  if (select.options[i].value.toLowerCase() === (value || '').toLowerCase()) select.value = select.options[i].value;
                }
              }
              function apply() {
                var s = status.value, c = capability.value, text = q.value.trim().toLowerCase(), shown = 0;
                rows.forEach(function (row) {
                  var match = (!s || row.getAttribute('data-status') === s)
                      && (!c || row.getAttribute('data-capability') === c)
                      && (!text || text.split(/\\s+/).every(function (word) {
                        return row.getAttribute('data-search').indexOf(word) >= 0;
                      }));
                  row.hidden = !match;
                  if (match) shown++;
                });
                document.getElementById('shown').textContent = shown;
                document.getElementById('none').hidden = shown > 0;
              }
              function fromHash() {
                var params = hashParams();
                if (!('status' in params || 'capability' in params || 'q' in params)) { apply(); return; }
                choose(status, params.status);
                choose(capability, params.capability);
                q.value = params.q || '';
                apply();
              }
              function toHash() {
                var parts = [];
                if (status.value) parts.push('status=' + status.value);
                if (capability.value) parts.push('capability=' + capability.value);
                if (q.value.trim()) parts.push('q=' + encodeURIComponent(q.value.trim()));
                try {
                  history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname + location.search);
                } catch (e) { /* a page opened from a file may refuse: the filters still apply */ }
                apply();
              }
              status.addEventListener('change', toHash);
              capability.addEventListener('change', toHash);
              q.addEventListener('input', toHash);
              window.addEventListener('hashchange', fromHash);
              fromHash();
            })();
            """;

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
