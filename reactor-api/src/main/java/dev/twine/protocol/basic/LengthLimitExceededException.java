package dev.twine.protocol.basic;

import static org.apiguardian.api.API.Status.STABLE;

import java.net.ProtocolException;
import org.apiguardian.api.API;

/** A length prefix above {@link Int32StringReceiver#maxLength()}: the reason the connection was closed. */
@API(status = STABLE, since = "0.1")
public class LengthLimitExceededException extends ProtocolException {
    /** A prefix announcing {@code length} bytes against a limit of {@code maxLength}. */
    public LengthLimitExceededException(long length, int maxLength) {
        super("length prefix " + length + " exceeds the limit of " + maxLength + " bytes");
    }
}
