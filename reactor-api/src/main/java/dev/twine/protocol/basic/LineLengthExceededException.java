package dev.twine.protocol.basic;

import static org.apiguardian.api.API.Status.STABLE;

import java.net.ProtocolException;
import org.apiguardian.api.API;

/** A line longer than {@link LineReceiver#maxLength()}: the reason the connection was closed. */
@API(status = STABLE, since = "0.1")
public class LineLengthExceededException extends ProtocolException {
    /** A line of at least {@code length} bytes against a limit of {@code maxLength}. */
    public LineLengthExceededException(int length, int maxLength) {
        super("line too long: at least " + length + " bytes without a delimiter within the limit of " + maxLength);
    }
}
