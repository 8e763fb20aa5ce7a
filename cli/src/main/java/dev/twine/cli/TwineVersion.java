package dev.twine.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this Twine, as the build wrote it into {@code version.properties}; every command's
 * {@code --version} prints it, and {@code ./twine --version} runs {@link #main} (with nothing else on
 * the class path: this class needs no library).
 */
public final class TwineVersion {
    private static final String NUMBER = read();

    /** The project's version, {@code 0.1.0-SNAPSHOT}. */
    public static String number() {
        return NUMBER;
    }

    private TwineVersion() {
    }

    /** Prints {@code twine <version>}. */
    public static void main(String[] args) {
        System.out.println("twine " + NUMBER);
    }

    private static String read() {
        try (InputStream in = TwineVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the twine-cli jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
