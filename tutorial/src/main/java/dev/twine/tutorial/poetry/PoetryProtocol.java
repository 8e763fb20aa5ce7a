package dev.twine.tutorial.poetry;

import dev.twine.defer.Failure;
import dev.twine.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The tutorial's PoetryProtocol: collects everything the server sends and, when the connection
 * ends, hands over the poem (the server closing is the end of the poem, whatever the reason).
 */
public class PoetryProtocol extends Protocol {
    private final ByteArrayOutputStream poem = new ByteArrayOutputStream();
    private final Consumer<byte[]> onData;
    private final BiConsumer<String, Failure> onEnd;

    /** Calls {@code onData} with each piece as it arrives and {@code onEnd} with the poem and the reason at the end. */
    public PoetryProtocol(Consumer<byte[]> onData, BiConsumer<String, Failure> onEnd) {
        this.onData = onData;
        this.onEnd = onEnd;
    }

    @Override
    public void dataReceived(byte[] data) {
        poem.writeBytes(data);
        onData.accept(data);
    }

    @Override
    public void connectionLost(Failure reason) {
        onEnd.accept(poem.toString(StandardCharsets.UTF_8), reason);
    }

    /** The bytes received so far. */
    public int size() {
        return poem.size();
    }
}
