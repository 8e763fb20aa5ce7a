package dev.twine.protocol.basic;

import java.net.ProtocolException;

/**
 * Bytes that are not a valid netstring ({@code <length>:<payload>,}): the reason a {@link
 * NetstringReceiver} closed the connection (Twisted's {@code NetstringParseError}).
 */
public class NetstringParseException extends ProtocolException {
    /** Saying what is wrong. */
    public NetstringParseException(String message) {
        super(message);
    }
}
