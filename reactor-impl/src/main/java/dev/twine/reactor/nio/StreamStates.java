package dev.twine.reactor.nio;

/**
 * The states a {@link StreamConnection} passes through, as four independent aspects (one enum
 * would be their product): its life, its input, its output and its producer. Each enum holds its
 * legal transitions in one {@code allows} table; {@code to} moves along one and refuses any other
 * with an {@link IllegalStateException} naming both states. A connection keeps the same state by
 * not moving: a transition to the state it is in is refused, so each call site says whether
 * repeating it is a no-op.
 */
final class StreamStates {
    private StreamStates() {
    }

    /** The connection as a whole. */
    enum Life {
        /** Connected; reads and writes as its input and output allow. */
        OPEN,
        /** loseConnection or abortConnection was called: what is queued drains (or is dropped), then it closes. */
        DISCONNECTING,
        /** The socket is closed and the protocol told; the end. */
        LOST;

        boolean allows(Life next) {
            return switch (this) {
                case OPEN -> next == DISCONNECTING // loseConnection, abortConnection
                        || next == LOST; // the peer closed, an error, the reactor stopped
                case DISCONNECTING -> next == LOST; // drained, or aborted
                case LOST -> false;
            };
        }

        Life to(Life next) {
            return move("life", this, next, allows(next));
        }
    }

    /** What comes from the peer. */
    enum Input {
        /** Read whenever the socket has bytes (while the connection is open). */
        OPEN,
        /** The protocol called pauseProducing: not read until resumeProducing. */
        PAUSED,
        /** The peer ended its output (end of stream): nothing more comes. */
        SHUT;

        boolean allows(Input next) {
            return switch (this) {
                case OPEN -> next == PAUSED // the protocol's pauseProducing
                        || next == SHUT; // end of stream read
                case PAUSED -> next == OPEN // the protocol's resumeProducing
                        || next == SHUT; // read anyway: code outside the connection re-added it as a reader (addReader)
                case SHUT -> false;
            };
        }

        Input to(Input next) {
            return move("input", this, next, allows(next));
        }
    }

    /** What goes to the peer. */
    enum Output {
        /** The protocol's writes are queued and sent. */
        OPEN,
        /** loseWriteConnection was called: writes are still taken; once all is sent the output is shut. */
        CLOSE_REQUESTED,
        /** The socket's output is shut down (half-close); writes are dropped. */
        SHUT,
        /** Writing failed, TLS failed, or the connection was aborted: nothing more is written, the queue is dropped, and the connection closes at the next iteration. */
        BROKEN;

        boolean allows(Output next) {
            return switch (this) {
                case OPEN -> next == CLOSE_REQUESTED // loseWriteConnection
                        || next == BROKEN;
                case CLOSE_REQUESTED -> next == SHUT // all sent: shutdownOutput
                        || next == BROKEN;
                case SHUT -> next == BROKEN; // aborted, or TLS failed on the input after a half-close
                case BROKEN -> false;
            };
        }

        Output to(Output next) {
            return move("output", this, next, allows(next));
        }
    }

    /** The producer registered on the connection, as the connection drives it. */
    enum Production {
        /** No producer registered. */
        NONE,
        /** A streaming (push) producer, producing. */
        STREAMING,
        /** A streaming producer the connection paused: more than the high-water mark is queued. */
        PAUSED,
        /** A non-streaming (pull) producer: asked for more each time the output has drained. */
        PULL;

        boolean allows(Production next) {
            return switch (this) {
                case NONE -> next == STREAMING || next == PULL; // registerProducer
                case STREAMING -> next == PAUSED // past the high-water mark
                        || next == NONE; // unregisterProducer, or the connection was lost
                case PAUSED -> next == STREAMING // the output drained: resumeProducing
                        || next == NONE;
                case PULL -> next == NONE;
            };
        }

        Production to(Production next) {
            return move("producer", this, next, allows(next));
        }
    }

    private static <S extends Enum<S>> S move(String aspect, S from, S to, boolean allowed) {
        if (!allowed) {
            throw new IllegalStateException("a stream connection's " + aspect + " cannot go from " + from + " to " + to);
        }
        return to;
    }
}
