package dev.twine.protocol.basic;

import java.net.ProtocolException;

/** A line longer than {@link LineReceiver#maxLength()}: the reason the connection was closed. */
public class LineLengthExceededException extends ProtocolException {
    /** A line of at least {@code length} bytes against a limit of {@code maxLength}. */
    public LineLengthExceededException(int length, int maxLength) {
        super("line too long: at least " + length + " bytes without a delimiter within the limit of " + maxLength);
    }
}
