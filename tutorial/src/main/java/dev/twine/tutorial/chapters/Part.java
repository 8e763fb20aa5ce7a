package dev.twine.tutorial.chapters;

/** A chapter of the Twisted Introduction that has programs. */
public enum Part {
    PART_2(2, "Slow Poetry and the Apocalypse"),
    PART_3(3, "Our Eye-beams Begin to Twine"),
    PART_4(4, "Twisted Poetry"),
    PART_5(5, "Twistier Poetry"),
    PART_6(6, "And Then We Took It Higher"),
    PART_7(7, "An Interlude, Deferred"),
    PART_8(8, "Deferred Poetry"),
    PART_9(9, "A Second Interlude, Deferred"),
    PART_10(10, "Poetry Transformed"),
    PART_11(11, "Your Poetry is Served"),
    PART_12(12, "A Poetry Transformation Server"),
    PART_13(13, "Deferred All The Way Down"),
    PART_14(14, "When a Deferred Isn't"),
    PART_16(16, "Twisted Daemonologie"),
    PART_17(17, "Just Another Way to Spell \"Callback\""),
    PART_18(18, "Deferreds En Masse"),
    PART_19(19, "I'd Like to Take it Back");

    private final int number;
    private final String title;

    Part(int number, String title) {
        this.number = number;
        this.title = title;
    }

    /** The chapter's number. */
    public int number() {
        return number;
    }

    /** {@code Part 7: An Interlude, Deferred}. */
    @Override
    public String toString() {
        return "Part " + number + ": " + title;
    }
}
