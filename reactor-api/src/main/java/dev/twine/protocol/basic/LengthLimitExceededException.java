package dev.twine.protocol.basic;

import java.net.ProtocolException;

/** A length prefix above {@link Int32StringReceiver#maxLength()}: the reason the connection was closed. */
public class LengthLimitExceededException extends ProtocolException {
    /** A prefix announcing {@code length} bytes against a limit of {@code maxLength}. */
    public LengthLimitExceededException(long length, int maxLength) {
        super("length prefix " + length + " exceeds the limit of " + maxLength + " bytes");
    }
}
