package dev.twine.testing;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** A {@link Recorder} that writes back everything it receives, after recording it. */
@API(status = EXPERIMENTAL, since = "0.1")
public class Echo extends Recorder {
    @Override
    public void dataReceived(byte[] data) {
        super.dataReceived(data);
        transport().write(data);
    }
}
