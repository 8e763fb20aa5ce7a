package dev.twine.fakes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Public-domain poems shipped with the fake servers: {@code science} (Edgar Allan Poe, "Sonnet—To
 * Science", 1829), {@code alla-sera} (Ugo Foscolo, "Alla sera", 1803; Italian, so not ASCII),
 * {@code sonnet-18} (William Shakespeare, Sonnet 18, 1609), and the Twisted tutorial's other two:
 * {@code ecstasy} (John Donne, "The Ecstasy", 1633; the tutorial's long poem) and {@code
 * fascination} (William Butler Yeats, "The Fascination of What's Difficult", 1910).
 */
public final class Poems {
    private static final List<String> NAMES = List.of("science", "alla-sera", "sonnet-18", "ecstasy", "fascination");

    private Poems() {
    }

    /** The names of the shipped poems. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The poem called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such poem
     */
    public static String named(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no poem called '" + name + "'; there are " + NAMES);
        }
        try (InputStream in = Poems.class.getResourceAsStream("poems/" + name + ".txt")) {
            if (in == null) {
                throw new IllegalStateException("the poem " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every shipped poem by name, in the order of {@link #names()}. */
    public static Map<String, String> all() {
        Map<String, String> all = new LinkedHashMap<>();
        for (String name : NAMES) {
            all.put(name, named(name));
        }
        return all;
    }
}
