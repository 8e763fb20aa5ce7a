package dev.twine.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The shipped poems, the Twisted tutorial's two among them. */
class PoemsTest {
    @Test
    void theTutorialsEcstasyAndFascinationAreShipped() {
        assertThat(Poems.names()).contains("ecstasy", "fascination");
        String ecstasy = Poems.named("ecstasy");
        assertThat(ecstasy).startsWith("The Ecstasy\nJohn Donne\n\nWhere, like a pillow on a bed\n")
                .endsWith("Small change, when we'are to bodies gone.\n");
        // The tutorial serves it as its long poem: several thousand characters.
        assertThat(ecstasy.length()).isGreaterThan(2500);
        assertThat(Poems.named("fascination")).startsWith("The Fascination of What's Difficult\nWilliam Butler Yeats\n\n"
                + "The fascination of what's difficult\n").endsWith("I'll find the stable and pull out the bolt.\n");
    }

    @Test
    void everyNamedPoemIsInTheJarWithATitleAndAnAuthor() {
        for (String name : Poems.names()) {
            String[] lines = Poems.named(name).split("\n", -1);
            assertThat(lines[0]).as(name + "'s title").isNotBlank();
            assertThat(lines[1]).as(name + "'s author").isNotBlank();
            assertThat(lines[2]).as(name).isEmpty();
        }
        assertThat(Poems.all()).containsOnlyKeys(Poems.names());
    }
}
