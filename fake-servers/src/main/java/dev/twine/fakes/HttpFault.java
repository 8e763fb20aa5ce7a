package dev.twine.fakes;

/** The faults {@link HttpPoetryServer} can answer with (WireMock's, by these names). */
public enum HttpFault {
    /** Close the connection without sending a response. */
    EMPTY_RESPONSE,
    /** Send an OK status line and headers, then a garbled chunk, then close. */
    MALFORMED_RESPONSE_CHUNK,
    /** Send random bytes, then close. */
    RANDOM_DATA_THEN_CLOSE,
    /** Reset the connection. */
    CONNECTION_RESET_BY_PEER
}
