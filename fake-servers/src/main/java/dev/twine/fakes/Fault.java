package dev.twine.fakes;

/**
 * One fault on one connection.
 *
 * @param connection the connection's id in its server's record (0 for the server as a whole)
 * @param kind what happened
 * @param detail a sentence with the specifics
 */
public record Fault(int connection, FaultKind kind, String detail) {
}
