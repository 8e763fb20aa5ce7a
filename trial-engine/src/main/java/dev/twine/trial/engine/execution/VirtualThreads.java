package dev.twine.trial.engine.execution;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the virtual threads a test left running, for the {@link Janitor}. No Java API lists
 * virtual threads: thread groups and {@code Thread.getAllStackTraces()} hold platform threads
 * only. The JDK's thread dump does list them (JDK 21 and later, {@code HotSpotDiagnosticMXBean
 * .dumpThreads} in JSON, unless the JVM runs with {@code -Djdk.trackAllThreads=false}), with
 * their ids, names and stacks; this class takes one, reached by reflection so that the engine
 * stays on Java 17, and reads it.
 *
 * <p>A dump costs milliseconds, so the janitor takes one only when a thread was created while
 * the test ran: thread ids are handed out in increasing order, so a test whose first and last
 * {@link #nextThreadId() marks} are adjacent created no thread at all. A virtual thread has no
 * thread group, so nothing says which class started it; the janitor therefore looks for them
 * only when classes run one at a time. The JDK gives no handle on a virtual thread found in a
 * dump, so it cannot be interrupted; it is reported and left running. Used on the reactor thread.
 */
final class VirtualThreads {
    /** One virtual thread in a dump. {@code stack} frames as the dump writes them, innermost first. */
    record Found(long id, String name, String state, List<String> stack) {
        String describe() {
            String where = stack.isEmpty() ? "" : ", at " + stack.get(0);
            return "\"" + name + "\" (virtual thread #" + id + (state == null ? "" : ", " + state) + where + ")";
        }
    }

    private static final Object BEAN;
    private static final Method DUMP;
    private static final Object JSON;

    static {
        Object bean = null;
        Method dump = null;
        Object json = null;
        if (Runtime.version().feature() >= 21) {
            try {
                Class<?> type = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
                Class<?> format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
                bean = ManagementFactory.getPlatformMXBean(type.asSubclass(PlatformManagedObject.class));
                dump = type.getMethod("dumpThreads", String.class, format);
                for (Object constant : format.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals("JSON")) {
                        json = constant;
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                dump = null; // no jdk.management module (a trimmed runtime): virtual threads cannot be seen
            }
        }
        BEAN = bean;
        DUMP = json == null ? null : dump;
        JSON = json;
    }

    private VirtualThreads() {
    }

    /** Whether this JVM can list virtual threads (JDK 21 or later, with jdk.management). */
    static boolean supported() {
        return DUMP != null;
    }

    /**
     * A mark in the sequence of thread ids: every thread created after this call has a larger id.
     * (The id of a thread made for the purpose and never started.)
     */
    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same number
    static long nextThreadId() {
        return new Thread((Runnable) null, "twine-trial-thread-id-mark").getId();
    }

    /**
     * The virtual threads alive now whose ids lie strictly between two marks: those created
     * between them.
     */
    static List<Found> createdBetween(long firstMark, long lastMark) {
        if (DUMP == null || lastMark - firstMark <= 1) {
            return List.of(); // no thread at all was created in between
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Set<Long> platform = new HashSet<>();
        for (long id : threads.getAllThreadIds()) {
            platform.add(id);
        }
        Map<String, Object> dump = dump();
        for (long id : threads.getAllThreadIds()) {
            platform.add(id); // a platform thread started while the dump was taken
        }
        List<Found> found = new ArrayList<>();
        if (!(dump.get("threadDump") instanceof Map<?, ?> threadDump) || !(threadDump.get("threadContainers") instanceof List<?> containers)) {
            return found;
        }
        for (Object container : containers) {
            if (!(container instanceof Map<?, ?> c) || !(c.get("threads") instanceof List<?> list)) {
                continue;
            }
            for (Object entry : list) {
                if (!(entry instanceof Map<?, ?> thread) || !(thread.get("tid") instanceof String tid)) {
                    continue;
                }
                long id = Long.parseLong(tid);
                // JDK 25 marks virtual threads; JDK 21 does not, and then any thread that is not a platform one is.
                Object virtual = thread.get("virtual");
                boolean isVirtual = virtual != null ? Boolean.TRUE.equals(virtual) : !platform.contains(id);
                if (isVirtual && id > firstMark && id < lastMark) {
                    List<String> stack = new ArrayList<>();
                    if (thread.get("stack") instanceof List<?> frames) {
                        frames.forEach(frame -> stack.add(String.valueOf(frame)));
                    }
                    Object name = thread.get("name");
                    Object state = thread.get("state");
                    found.add(new Found(id, name == null ? "" : name.toString(), state == null ? null : state.toString(), stack));
                }
            }
        }
        return found;
    }

    private static Map<String, Object> dump() {
        Path directory = null;
        Path file = null;
        try {
            directory = Files.createTempDirectory("twine-trial-threads");
            file = directory.resolve("threads.json"); // the dump refuses a file that exists
            DUMP.invoke(BEAN, file.toAbsolutePath().toString(), JSON);
            Object parsed = new JsonReader(Files.readString(file, StandardCharsets.UTF_8)).value();
            @SuppressWarnings("unchecked")
            Map<String, Object> map = parsed instanceof Map<?, ?> ? (Map<String, Object>) parsed : Map.of();
            return map;
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("the janitor could not take a thread dump to look for virtual threads", e);
        } finally {
            try {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
                if (directory != null) {
                    Files.deleteIfExists(directory);
                }
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    /** Reads the JSON the JDK writes: objects, arrays, strings, numbers (as text), true, false, null. */
    private static final class JsonReader {
        private final String text;
        private int at;

        JsonReader(String text) {
            this.text = text;
        }

        Object value() {
            skipSpace();
            char c = text.charAt(at);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    int start = at;
                    while (at < text.length() && "+-.0123456789eE".indexOf(text.charAt(at)) >= 0) {
                        at++;
                    }
                    if (start == at) {
                        throw new IllegalArgumentException("unexpected '" + c + "' at " + at + " in the thread dump");
                    }
                    return text.substring(start, at);
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (text.charAt(at) == '}') {
                at++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (text.charAt(at) == ',') {
                    at++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            at++;
            skipSpace();
            if (text.charAt(at) == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (text.charAt(at) == ',') {
                    at++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> out.append(escaped); // \" \\ \/
                }
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw new IllegalArgumentException("unexpected text at " + at + " in the thread dump");
            }
            at += word.length();
            return value;
        }

        private void expect(char c) {
            if (text.charAt(at) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + at + " in the thread dump");
            }
            at++;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
