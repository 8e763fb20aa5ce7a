package dev.twine.conformance.harness;

/** A {@link Recorder} that writes back everything it receives. */
public class Echo extends Recorder {
    @Override
    public void dataReceived(byte[] data) {
        super.dataReceived(data);
        transport().write(data);
    }
}
