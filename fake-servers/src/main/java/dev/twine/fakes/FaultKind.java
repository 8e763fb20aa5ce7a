package dev.twine.fakes;

/** What went wrong on a connection, or what a chaos server did to it on purpose. */
public enum FaultKind {
    /** Transform server: the request named a transform it does not have. */
    UNKNOWN_TRANSFORM,
    /** Transform server: the request had no {@code .} or an empty transform name. */
    NO_TRANSFORM_NAME,
    /** Transform server: the bytes were not a netstring. */
    MALFORMED_NETSTRING,
    /** Transform server: the length prefix was over 99999. */
    OVERSIZED_LENGTH,
    /** Transform server: the payload was not UTF-8. */
    INVALID_UTF8,
    /** Proxy: the upstream server refused the connection. */
    UPSTREAM_REFUSED,
    /** Proxy: the upstream connection failed in another way. */
    UPSTREAM_FAILED,
    /** Proxy: the client left before the poem arrived, so the download was cancelled. */
    DOWNLOAD_CANCELLED,
    /** Chaos: the connection was accepted and never answered. */
    NEVER_ANSWERED,
    /** Chaos: the connection was closed without sending anything. */
    CLOSED_WITHOUT_SENDING,
    /** Chaos: the connection was reset after the configured number of bytes. */
    RESET_AFTER_BYTES,
    /** Chaos: garbage bytes were sent first. */
    GARBAGE_SENT,
    /** Chaos: an oversized frame was sent first. */
    OVERSIZED_FRAME_SENT,
    /** Chaos: the fake half-closed (shut its sending side) after the configured number of bytes. */
    HALF_CLOSED,
    /** Chaos: the target could not be reached. */
    TARGET_UNREACHABLE,
    /** The fake itself failed unexpectedly (a bug in the fake; the detail says what). */
    INTERNAL_ERROR
}
