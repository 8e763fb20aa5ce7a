package dev.twine.tutorial.servers;

import dev.twine.log.Log;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.ProtocolFactory;
import dev.twine.protocol.basic.NetstringReceiver;
import dev.twine.reactor.Address;
import dev.twine.reactor.ListeningPort;
import dev.twine.reactor.ReactorTCP;
import dev.twine.tutorial.Console;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The poetry transformation server (twisted-server-1/transformedpoetry.py): a request is one
 * netstring {@code <transform>.<poem>}; the reply is one netstring of the transformed poem, then
 * a clean close. The service knows how to transform; the factory maps a request's name to a
 * transform; the protocol speaks netstrings.
 *
 * <p>Where the original finds {@code xform_<name>} with {@code getattr} on its factory, the
 * factory here holds a map from name to transform, filled from the service when it is made: a
 * name the map does not have is "no such transform", so no method of the factory can be called
 * by a request, which is what the {@code xform_} prefix is for in the original.
 */
public final class TransformServer {
    private TransformServer() {
    }

    /** What the server can do to a poem. */
    public static class TransformService {
        /** The poem in lower case, as e. e. cummings would have it. */
        public String cummingsify(String poem) {
            return poem.toLowerCase(Locale.ROOT);
        }
    }

    /** Hands each request to the service through its map of transforms, and makes the protocols. */
    public static final class TransformFactory implements ProtocolFactory {
        private final Map<String, UnaryOperator<String>> transforms;

        /** A factory serving {@code service}'s transforms. */
        public TransformFactory(TransformService service) {
            Objects.requireNonNull(service, "service");
            this.transforms = Map.of("cummingsify", service::cummingsify);
        }

        @Override
        public Protocol buildProtocol(Address address) {
            return new TransformProtocol(this);
        }

        /**
         * The poem transformed by {@code name}, or empty when there is no such transform or it
         * failed (each logged, as the original logs them).
         */
        public Optional<String> transform(String name, String poem) {
            UnaryOperator<String> transform = transforms.get(name);
            if (transform == null) {
                Log.msg("'" + name + "' no such transform");
                return Optional.empty();
            }
            try {
                return Optional.of(transform.apply(poem));
            } catch (RuntimeException e) {
                Log.msg(e.getClass().getName());
                return Optional.empty();
            }
        }
    }

    /** One connection: a netstring in, a netstring out, then close. */
    static final class TransformProtocol extends NetstringReceiver {
        private final TransformFactory factory;

        TransformProtocol(TransformFactory factory) {
            this.factory = factory;
        }

        @Override
        protected void stringReceived(byte[] request) {
            int dot = indexOfDot(request);
            if (dot < 0) { // a bad request
                transport().loseConnection();
                return;
            }
            String text = decode(request);
            int split = text.indexOf('.');
            xformRequestReceived(text.substring(0, split), text.substring(split + 1));
        }

        private void xformRequestReceived(String name, String poem) {
            factory.transform(name, poem).ifPresent(result -> sendString(result.getBytes(StandardCharsets.UTF_8)));
            transport().loseConnection();
        }

        private static int indexOfDot(byte[] request) {
            for (int i = 0; i < request.length; i++) {
                if (request[i] == '.') {
                    return i;
                }
            }
            return -1;
        }

        /**
         * The request as text. Bytes that are not UTF-8 throw, as the original's {@code decode}
         * does: the reactor logs the error and drops the connection.
         */
        private static String decode(byte[] request) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(request)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("the request is not UTF-8", e);
            }
        }
    }

    /** Listens on {@code port} of {@code iface} and prints {@code Serving transforms on <address>.} */
    public static ListeningPort listen(ReactorTCP reactor, int port, String iface, Console console) {
        ListeningPort listening = reactor.listenTCP(port, new TransformFactory(new TransformService()),
                ReactorTCP.DEFAULT_BACKLOG, iface);
        console.println("Serving transforms on " + listening.getHost() + ".");
        return listening;
    }
}
