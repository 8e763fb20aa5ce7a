package dev.twine.fakes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The tutorial's transform server. A request is one netstring ({@code <length>:<payload>,}, the
 * length in decimal with no leading zeros, at most 99999) whose payload is {@code
 * <transform>.<poem>} (split at the first dot, UTF-8); the reply is one netstring of the transformed
 * poem, then a clean close. The one transform is {@code cummingsify}: lower case.
 *
 * <p>Faults, each recorded, and answered exactly as the original answers them: an unknown transform,
 * or a payload with no dot or an empty name: no reply, a clean close. Malformed framing or a length
 * over 99999: a clean close at once, no reply. A payload that is not UTF-8: the connection is
 * dropped (the original's error escapes; it prints a traceback, which nobody sees because its
 * logging is never started; Twine records it instead). Frames that arrive in the same read as one
 * that closes the connection are still answered, as in the original.
 */
public final class TransformServer extends TcpFakeServer {
    /** The largest payload accepted. */
    public static final int MAX_LENGTH = 99999;
    private static final int MAX_DIGITS = 5;

    private static final Map<String, UnaryOperator<String>> TRANSFORMS = Map.of(
            "cummingsify", text -> text.toLowerCase(Locale.ROOT));

    TransformServer(String iface, int port, Consumer<String> printer) {
        super("transform", iface, port, printer);
        log.line("Serving transforms on IPv4Address(type='TCP', host='" + host() + "', port=" + port() + ").");
        startAccepting();
    }

    @Override
    void accepted(Link link) throws IOException {
        Requests requests = new Requests(new Connection() {
            @Override
            public void fault(FaultKind kind, String detail) {
                link.log.fault(kind, detail);
            }

            @Override
            public void send(byte[] frame) {
                link.send(frame);
            }

            @Override
            public void finish() {
                link.stopReading();
                link.closeAfterSending();
            }

            @Override
            public void drop() {
                link.closeNow();
            }
        });
        link.listener(watched((l, data) -> requests.data(data)));
        link.start();
    }

    /** What the request parser does to its connection: a {@link Link} here, a recording in the fuzz test. */
    interface Connection {
        /** Records a fault of the client's. */
        void fault(FaultKind kind, String detail);

        /** Sends a reply. */
        void send(byte[] frame);

        /** Stops reading, sends what is queued, then closes cleanly. */
        void finish();

        /** Closes now. */
        void drop();
    }

    /** The netstring parser of one connection. */
    static final class Requests {
        private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        private final Connection link;
        private boolean done;

        Requests(Connection link) {
            this.link = link;
        }

        /** Bytes held for a frame not yet complete. */
        int buffered() {
            return buffer.size();
        }

        void data(byte[] data) {
            if (done) {
                return;
            }
            buffer.writeBytes(data);
            byte[] bytes = buffer.toByteArray();
            int at = 0;
            boolean close = false;
            while (at < bytes.length) {
                int colon = -1;
                int digits = 0;
                long length = 0;
                String error = null;
                FaultKind kind = FaultKind.MALFORMED_NETSTRING;
                for (int i = at; i < bytes.length; i++) {
                    byte b = bytes[i];
                    if (b == ':') {
                        if (digits == 0) {
                            error = "no length before ':'";
                        }
                        colon = i;
                        break;
                    }
                    if (b < '0' || b > '9') {
                        error = "expected a digit or ':', got " + describe(b);
                        break;
                    }
                    if (digits == 1 && bytes[at] == '0') {
                        error = "length with a leading zero";
                        break;
                    }
                    digits++;
                    length = length * 10 + (b - '0');
                    if (digits > MAX_DIGITS + 1 || length > MAX_LENGTH) {
                        error = "length over " + MAX_LENGTH;
                        kind = FaultKind.OVERSIZED_LENGTH;
                        break;
                    }
                }
                if (error != null) {
                    link.fault(kind, error);
                    close = true;
                    done = true;
                    break;
                }
                if (colon < 0) {
                    break; // the length is not all here yet
                }
                int payloadStart = colon + 1;
                int end = payloadStart + (int) length;
                if (bytes.length < end + 1) {
                    break; // the payload is not all here yet
                }
                if (bytes[end] != ',') {
                    link.fault(FaultKind.MALFORMED_NETSTRING, "expected ',' after " + length + " bytes, got " + describe(bytes[end]));
                    close = true;
                    done = true;
                    break;
                }
                at = end + 1;
                String payload;
                try {
                    payload = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, payloadStart, (int) length)).toString();
                } catch (CharacterCodingException e) {
                    link.fault(FaultKind.INVALID_UTF8, "the payload is not UTF-8: " + e.getMessage());
                    done = true;
                    buffer.reset();
                    link.drop();
                    return;
                }
                close = true;
                answer(link, payload);
            }
            buffer.reset();
            if (close) {
                done = true; // what follows is never read: keep none of it
                link.finish();
            } else {
                buffer.write(bytes, at, bytes.length - at);
            }
        }

        private void answer(Connection link, String payload) {
            int dot = payload.indexOf('.');
            if (dot <= 0) {
                link.fault(FaultKind.NO_TRANSFORM_NAME, dot < 0 ? "no '.' in the request" : "an empty transform name");
                return;
            }
            String name = payload.substring(0, dot);
            UnaryOperator<String> transform = TRANSFORMS.get(name);
            if (transform == null) {
                link.fault(FaultKind.UNKNOWN_TRANSFORM, "no transform called '" + name + "'");
                return;
            }
            byte[] result = transform.apply(payload.substring(dot + 1)).getBytes(StandardCharsets.UTF_8);
            byte[] prefix = (result.length + ":").getBytes(StandardCharsets.US_ASCII);
            byte[] frame = new byte[prefix.length + result.length + 1];
            System.arraycopy(prefix, 0, frame, 0, prefix.length);
            System.arraycopy(result, 0, frame, prefix.length, result.length);
            frame[frame.length - 1] = ',';
            link.send(frame);
        }

        private static String describe(byte b) {
            return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
        }
    }
}
