package dev.twine.tutorial.poetry;

import java.util.Locale;
import java.util.Random;

/**
 * Client 5's local transform, which fails at random on purpose: two times in three it lower-cases
 * the poem; otherwise it throws {@link GibberishException} (the poem itself is bad) or an
 * {@link IllegalArgumentException} (a bug in the transform). The seed makes a run repeatable.
 */
public final class Cummingsify {
    private final Random random;

    /** The poem is gibberish: the download failed, in effect. */
    public static final class GibberishException extends RuntimeException {
        public GibberishException() {
            super("the poem is gibberish");
        }
    }

    public Cummingsify(long seed) {
        this.random = new Random(seed);
    }

    /** Lower-cases {@code poem}, or fails at random. */
    public String apply(String poem) {
        int roll = random.nextInt(3);
        if (roll == 1) {
            throw new GibberishException();
        }
        if (roll == 2) {
            throw new IllegalArgumentException("cummingsify has a bug");
        }
        return poem.toLowerCase(Locale.ROOT);
    }
}
