package dev.twine.sim.scenarios;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.defer.Failure;
import dev.twine.protocol.HalfCloseableProtocol;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.TcpTransport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * A protocol of a scenario: it records its events on its {@link Side} and does what its script
 * says at each. {@link Half} is the same protocol, half-closeable.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class Scripted extends Protocol {
    /** What a scripted protocol does at each event; every part may be null. */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record Script(Consumer<Scripted> made, BiConsumer<Scripted, byte[]> data, Consumer<Scripted> readLost,
            Consumer<Scripted> writeLost, Consumer<Scripted> lost) {
        /** Nothing at all. */
        public static Script idle() {
            return new Script(null, null, null, null, null);
        }

        /** With {@code action} at connectionMade. */
        public Script onMade(Consumer<Scripted> action) {
            return new Script(action, data, readLost, writeLost, lost);
        }

        /** With {@code action} at dataReceived. */
        public Script onData(BiConsumer<Scripted, byte[]> action) {
            return new Script(made, action, readLost, writeLost, lost);
        }

        /** With {@code action} at readConnectionLost. */
        public Script onReadLost(Consumer<Scripted> action) {
            return new Script(made, data, action, writeLost, lost);
        }

        /** With {@code action} at writeConnectionLost. */
        public Script onWriteLost(Consumer<Scripted> action) {
            return new Script(made, data, readLost, action, lost);
        }

        /** With {@code action} at connectionLost. */
        public Script onLost(Consumer<Scripted> action) {
            return new Script(made, data, readLost, writeLost, action);
        }
    }

    final Side side;
    private final Script script;
    private final dev.twine.reactor.ReactorTime time;
    /** Everything read so far. */
    public final ByteArrayOutputStream received = new ByteArrayOutputStream();
    /** A counter for the script's own use. */
    public int count;
    /** Whether reads are no longer recorded (for reads whose amount depends on timing). */
    public boolean quiet;

    Scripted(Side side, Script script, dev.twine.reactor.ReactorTime time) {
        this.side = side;
        this.script = script;
        this.time = time;
    }

    /** Runs {@code action} after {@code delay} on the reactor. */
    public void later(java.time.Duration delay, Runnable action) {
        time.callLater(delay, action);
    }

    /** The transport as a TCP transport. */
    public TcpTransport tcp() {
        return (TcpTransport) transport();
    }

    /** Writes {@code text} in ISO-8859-1. */
    public void write(String text) {
        transport().write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Records an event of the script's own. */
    public void note(String event) {
        side.add(event);
    }

    @Override
    public void connectionMade() {
        side.made();
        if (script.made() != null) {
            script.made().accept(this);
        }
    }

    @Override
    public void dataReceived(byte[] data) {
        if (!quiet) {
            side.recv(data);
        }
        received.writeBytes(data);
        if (script.data() != null) {
            script.data().accept(this, data);
        }
    }

    @Override
    public void connectionLost(Failure reason) {
        side.done("lost " + reason.type().getSimpleName());
        if (script.lost() != null) {
            script.lost().accept(this);
        }
    }

    /** The half-closeable form. */
    static final class Half extends Scripted implements HalfCloseableProtocol {
        Half(Side side, Script script, dev.twine.reactor.ReactorTime time) {
            super(side, script, time);
        }

        @Override
        public void readConnectionLost() {
            side.add("readConnectionLost");
            if (script().readLost() != null) {
                script().readLost().accept(this);
            }
        }

        @Override
        public void writeConnectionLost() {
            side.add("writeConnectionLost");
            if (script().writeLost() != null) {
                script().writeLost().accept(this);
            }
        }
    }

    Script script() {
        return script;
    }
}
