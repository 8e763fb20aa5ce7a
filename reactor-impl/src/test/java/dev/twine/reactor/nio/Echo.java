package dev.twine.reactor.nio;

/** Writes back whatever it receives. */
class Echo extends Recorder {
    @Override
    public void dataReceived(byte[] data) {
        super.dataReceived(data);
        transport().write(data);
    }
}
