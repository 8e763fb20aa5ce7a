package dev.twine.protocol.basic;

import static org.apiguardian.api.API.Status.STABLE;

import java.net.ProtocolException;
import org.apiguardian.api.API;

/**
 * Bytes that are not a valid netstring ({@code <length>:<payload>,}): the reason a {@link
 * NetstringReceiver} closed the connection (Twisted's {@code NetstringParseError}).
 */
@API(status = STABLE, since = "0.1")
public class NetstringParseException extends ProtocolException {
    /** Saying what is wrong. */
    public NetstringParseException(String message) {
        super(message);
    }
}
