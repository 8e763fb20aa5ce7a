package dev.twine.tutorial.chapters;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * Part 9, "A Second Interlude, Deferred": the Deferred simulator
 * (twisted-deferred/deferred-simulator.py). It reads callback/errback pairs from standard input,
 * one a line, up to a blank line, builds a real Deferred from them, fires it once with
 * {@code callback("initial")} and once with {@code errback(new Exception("initial"))}, and draws
 * the chain and both firing paths in ASCII. A value followed by {@code *} stands for a Failure of
 * {@code new Exception(value)}.
 */
final class Part9 {
    private Part9() {
    }

    /** The user's input was not a pair. */
    private static final class BadInput extends Exception {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }
    }

    /** Standard input ended before a blank line: the original exits without drawing. */
    private static final class EndOfInput extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** An ASCII screen: characters at (x, y), blank where nothing is drawn. */
    private static final class Screen {
        private final Map<Long, Character> pixels = new HashMap<>();
        private int width;
        private int height;

        void drawChar(int x, int y, char c) {
            pixels.put(((long) x << 32) | (y & 0xffffffffL), c);
            width = Math.max(width, x + 1);
            height = Math.max(height, y + 1);
        }

        void drawHorizLine(int x, int y, int length) {
            for (int i = 0; i < length; i++) {
                drawChar(x + i, y, '-');
            }
        }

        void drawVertLine(int x, int y, int length, boolean endArrow) {
            for (int i = 0; i < length; i++) {
                drawChar(x, y + i, '|');
            }
            if (endArrow) {
                drawChar(x - 1, y + length - 1, '\\');
                drawChar(x + 1, y + length - 1, '/');
            }
        }

        void drawText(int x, int y, String text) {
            for (int i = 0; i < text.length(); i++) {
                drawChar(x + i, y, text.charAt(i));
            }
        }

        void clear() {
            pixels.clear();
            width = 0;
            height = 0;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    s.append(pixels.getOrDefault(((long) x << 32) | (y & 0xffffffffL), ' '));
                }
                s.append('\n');
            }
            return s.toString();
        }
    }

    /** Python's {@code str.center}: the odd space goes right, unless both the margin and the width are odd. */
    static String center(String text, int width) {
        int margin = width - text.length();
        if (margin <= 0) {
            return text;
        }
        int left = margin / 2 + (margin & width & 1);
        return " ".repeat(left) + text + " ".repeat(margin - left);
    }

    /** One callback or errback: returns a value, fails with one, or passes its argument through. */
    private record Step(String style, String value) {
        static final int HEIGHT = 5;
        static final int MIN_WIDTH = "0123456*".length() + "return ".length() + 3;

        Object apply(Object res) {
            return switch (style) {
                case "return" -> value;
                case "fail" -> new Failure(new Exception(value));
                default -> res;
            };
        }

        String caption() {
            return style.equals("passthru") ? "passthru" : style + " " + value;
        }

        static String formatValue(Object res) {
            return res instanceof Failure failure ? failure.value().getMessage() + "*" : String.valueOf(res);
        }

        void drawPassive(Screen screen, int x, int y, int width) {
            drawBox(screen, x, y, width);
            drawText(screen, x, y + 2, width, caption());
        }

        void drawActive(Screen screen, int x, int y, int width, Object res) {
            drawBox(screen, x, y, width);
            drawText(screen, x, y + 1, width, formatValue(res));
            drawText(screen, x, y + 3, width, formatValue(apply(res)));
        }

        private static void drawBox(Screen screen, int x, int y, int width) {
            screen.drawHorizLine(x, y, width);
            screen.drawHorizLine(x, y + 4, width);
            screen.drawVertLine(x, y + 1, 3, false);
            screen.drawVertLine(x + width - 1, y + 1, 3, false);
        }

        private static void drawText(Screen screen, int x, int y, int width, String text) {
            screen.drawText(x + 1, y, center(text, width - 2));
        }
    }

    private record Pair(Step callback, Step errback) {
    }

    /** The chain as drawn: its pairs and sizes. */
    private static final class Chain {
        final List<Pair> pairs;
        final int callbackWidth;
        final int width;
        final int height;

        Chain(List<Pair> pairs) {
            this.pairs = pairs;
            this.callbackWidth = Step.MIN_WIDTH;
            this.width = callbackWidth * 2 + 2;
            this.height = Step.HEIGHT * pairs.size() + 3 * (pairs.size() - 1);
        }

        void draw(Screen screen, int x, int y) {
            for (Pair pair : pairs) {
                pair.callback().drawPassive(screen, x, y, callbackWidth);
                pair.errback().drawPassive(screen, x + callbackWidth + 2, y, callbackWidth);
                y += Step.HEIGHT + 3;
            }
        }
    }

    /** The chain fired one way ({@code callback} or {@code errback}), drawn by a real Deferred as it runs. */
    private static final class Fired {
        static final int CALLBACK_Y_OFFSET = 4;
        final Chain chain;
        final boolean callback;
        final int height;

        Fired(Chain chain, boolean callback) {
            this.chain = chain;
            this.callback = callback;
            this.height = chain.height + 8;
        }

        void draw(Screen screen, int x, int y) {
            Deferred<Object> d = drawingDeferred(screen, x, y);
            if (callback) {
                d.callback("initial");
            } else {
                d.errback(new Exception("initial"));
            }
        }

        private Deferred<Object> drawingDeferred(Screen screen, int x, int y) {
            int callbackWidth = chain.callbackWidth;
            int callbackMidX = x - 1 + callbackWidth / 2;
            int errbackLeftX = x + callbackWidth + 2;
            int errbackMidX = errbackLeftX - 1 + callbackWidth / 2;
            int[] last = new int[2]; // x, y

            IntConsumer drawConnection = toX -> {
                if (last[0] == toX) {
                    screen.drawVertLine(toX - 1 + callbackWidth / 2, last[1] - 3, 3, true);
                    return;
                }
                if (last[0] < toX) {
                    screen.drawVertLine(callbackMidX, last[1] - 3, 2, false);
                    screen.drawVertLine(errbackMidX, last[1] - 2, 2, true);
                } else {
                    screen.drawVertLine(errbackMidX, last[1] - 3, 2, false);
                    screen.drawVertLine(callbackMidX, last[1] - 2, 2, true);
                }
                screen.drawHorizLine(callbackMidX + 1, last[1] - 2, errbackMidX - callbackMidX - 1);
            };
            BiConsumer<Object, Integer> drawValue = (res, atY) -> {
                if (res instanceof Failure) {
                    screen.drawText(errbackLeftX - 10, atY, center(Step.formatValue(res), callbackWidth + 20));
                } else {
                    screen.drawText(x, atY, center(String.valueOf(res), callbackWidth));
                }
            };

            Deferred<Object> d = new Deferred<>();
            Deferred<Object> chained = d.addBoth((value, failure) -> {
                Object res = failure != null ? failure : value;
                drawValue.accept(res, y);
                last[0] = failure != null ? errbackLeftX : x;
                last[1] = y + 4;
                return res;
            });
            for (Pair pair : chain.pairs) {
                chained = chained.addCallbacks(
                        value -> step(pair.callback(), x, value, screen, callbackWidth, last, drawConnection),
                        failure -> step(pair.errback(), errbackLeftX, failure, screen, callbackWidth, last, drawConnection));
            }
            chained.addVoidBoth((value, failure) -> {
                Object res = failure != null ? failure : value;
                drawValue.accept(res, last[1]);
                drawConnection.accept(failure != null ? errbackLeftX : x);
            });
            return d;
        }

        private static Object step(Step step, int atX, Object res, Screen screen, int callbackWidth, int[] last,
                IntConsumer drawConnection) {
            step.drawActive(screen, atX, last[1], callbackWidth, res);
            drawConnection.accept(atX);
            last[0] = atX;
            last[1] += Step.HEIGHT + 3;
            return step.apply(res);
        }
    }

    private static final String INSTRUCTIONS = """
            Enter a list of callback/errback pairs in the form:

              CALLBACK ERRBACK

            Where CALLBACK and ERRBACK are one of:

              return VALUE
              fail VALUE
              passthru

            And where VALUE is a string of only letters and numbers (no spaces),
            no more than 6 characters long.

            Each pair should be on a single line and you can abbreviate
            return/fail/passthru as r/f/p.

            Examples:

              r good f bad  # callback returns 'good'
                            # and errback raises Exception('bad')

              f googly p    # callback raises Exception('googly')
                            # and errback passes its failure along

            Enter a blank line when you are done, and a diagram of the deferred
            will be printed next to the firing patterns for both the callback()
            and errback() methods. In the diagram, a value followed by '*' is
            really an Exception wrapped in a Failure, i.e:

              value* == Failure(Exception(value))

            You will want to make your terminal as wide as possible.
            """;

    static void deferredSimulator(Run run) throws IOException {
        boolean narrow = run.args().contains("--narrow");
        List<Pair> pairs;
        try {
            pairs = getPairs(run);
        } catch (EndOfInput end) {
            return;
        }
        Chain chain = new Chain(pairs);
        Fired callback = new Fired(chain, true);
        Fired errback = new Fired(chain, false);
        if (narrow) {
            drawSingleColumn(run, chain, callback, errback);
        } else {
            drawMultiColumn(run, chain, callback, errback);
        }
    }

    private static List<Pair> getPairs(Run run) throws IOException, EndOfInput {
        run.print(INSTRUCTIONS);
        List<Pair> pairs = new ArrayList<>();
        while (true) {
            Pair pair;
            try {
                pair = nextPair(run.input());
            } catch (BadInput e) {
                run.print("ERROR:", e.getMessage());
                continue;
            }
            if (pair == null) {
                if (pairs.isEmpty()) {
                    run.print("You must enter at least one pair.");
                    continue;
                }
                return pairs;
            }
            pairs.add(pair);
        }
    }

    private static Pair nextPair(BufferedReader input) throws IOException, BadInput, EndOfInput {
        String line = input.readLine();
        if (line == null) {
            throw new EndOfInput();
        }
        if (line.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>(List.of(line.strip().split("\\s+")));
        parts.removeIf(String::isEmpty);
        Step callback = nextStep(parts);
        Step errback = nextStep(parts);
        if (!parts.isEmpty()) {
            throw new BadInput("extra arguments");
        }
        return new Pair(callback, errback);
    }

    private static Step nextStep(List<String> parts) throws BadInput {
        if (parts.isEmpty()) {
            throw new BadInput("missing command");
        }
        String given = parts.remove(0).toLowerCase(Locale.ROOT);
        String command = null;
        for (String known : List.of("return", "fail", "passthru")) {
            if (known.startsWith(given)) {
                command = known;
                break;
            }
        }
        if (command == null) {
            throw new BadInput("bad command: " + given);
        }
        if (command.equals("passthru")) {
            return new Step(command, null);
        }
        if (parts.isEmpty()) {
            throw new BadInput("missing argument");
        }
        String result = parts.remove(0);
        if (result.length() > 6) {
            // The original raises BadInput with two arguments, which Python prints as a tuple.
            throw new BadInput("('result more than 6 chars long', '" + result + "')");
        }
        return new Step(command, result);
    }

    private static void drawSingleColumn(Run run, Chain d, Fired callback, Fired errback) {
        Screen screen = new Screen();
        screen.drawText(0, 1, center("Deferred", d.width));
        screen.drawText(0, 2, center("--------", d.width));
        d.draw(screen, 0, 4);
        run.print(screen);
        screen.clear();
        screen.drawText(0, 2, center("d.callback(initial)", d.width));
        screen.drawText(0, 3, center("-------------------", d.width));
        callback.draw(screen, 0, 5);
        run.print(screen);
        screen.clear();
        screen.drawText(0, 2, center("d.errback(initial*)", d.width));
        screen.drawText(0, 3, center("-------------------", d.width));
        errback.draw(screen, 0, 5);
        run.print(screen);
    }

    private static void drawMultiColumn(Run run, Chain d, Fired callback, Fired errback) {
        Screen screen = new Screen();
        screen.drawText(0, 0, center("Deferred", d.width));
        screen.drawText(0, 1, center("--------", d.width));
        screen.drawText(d.width + 6, 0, center("d.callback(initial)", d.width));
        screen.drawText(d.width + 6, 1, center("-------------------", d.width));
        screen.drawText(2 * (d.width + 6), 0, center("d.errback(initial*)", d.width));
        screen.drawText(2 * (d.width + 6), 1, center("-------------------", d.width));
        d.draw(screen, 0, Fired.CALLBACK_Y_OFFSET + 3);
        callback.draw(screen, d.width + 6, 3);
        errback.draw(screen, 2 * (d.width + 6), 3);
        screen.drawVertLine(d.width + 3, 3, callback.height, false);
        screen.drawVertLine(d.width + 3 + d.width + 6, 3, callback.height, false);
        run.print(screen);
    }
}
