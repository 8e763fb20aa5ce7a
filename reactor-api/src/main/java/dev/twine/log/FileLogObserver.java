package dev.twine.log;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Writes each event as Twisted's {@code FileLogObserver} does: {@code <time> [<system>] <text>},
 * the time as {@code yyyy-MM-dd HH:mm:ss+hhmm} in the observer's zone, every line of a text of
 * several lines after the first indented with a tab, each event flushed when written. Closing it
 * closes the stream (a file it opened, or the stream it was given).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class FileLogObserver implements LogObserver, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxx");

    private final PrintStream out;
    private final ZoneId zone;

    /** Writes to {@code out}, times in {@code zone}. */
    public FileLogObserver(OutputStream out, ZoneId zone) {
        Objects.requireNonNull(out, "out");
        this.out = out instanceof PrintStream print ? print : new PrintStream(out, false, StandardCharsets.UTF_8);
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** Appends to {@code file} (created if missing, with its directory left as it is), times in {@code zone}. */
    public static FileLogObserver appendingTo(Path file, ZoneId zone) {
        try {
            OutputStream stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            return new FileLogObserver(new PrintStream(stream, false, StandardCharsets.UTF_8), zone);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The line (or lines) written for {@code event}, with the final newline. */
    public String format(LogEvent event) {
        return TIME.format(event.time().atZone(zone)) + " [" + event.system() + "] "
                + event.text().replace("\n", "\n\t") + "\n";
    }

    @Override
    public void emit(LogEvent event) {
        String line = format(event);
        synchronized (out) {
            out.print(line);
            out.flush();
        }
    }

    /** Closes the stream. */
    @Override
    public void close() {
        synchronized (out) {
            out.close();
        }
    }
}
