package dev.twine.cli;

/**
 * A mistake on the command line found by the command itself (a bad value, options that do not go
 * together): {@link Cli} prints its message in one line, {@code <command>: error: <message>}, and
 * the command exits with status 2.
 */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
