package dev.twine.testing;

/** A {@link Recorder} that writes back everything it receives, after recording it. */
public class Echo extends Recorder {
    @Override
    public void dataReceived(byte[] data) {
        super.dataReceived(data);
        transport().write(data);
    }
}
