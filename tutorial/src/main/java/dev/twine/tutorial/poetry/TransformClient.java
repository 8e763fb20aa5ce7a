package dev.twine.tutorial.poetry;

import dev.twine.defer.Deferred;
import dev.twine.defer.Failure;
import dev.twine.protocol.ClientFactory;
import dev.twine.protocol.ConnectionDone;
import dev.twine.protocol.Protocol;
import dev.twine.protocol.basic.NetstringReceiver;
import dev.twine.reactor.Address;
import dev.twine.reactor.Connector;
import dev.twine.reactor.ReactorTCP;
import dev.twine.tutorial.HostPort;
import java.nio.charset.StandardCharsets;

/**
 * The tutorial's TransformClientProtocol: sends one netstring request {@code <transform>.<poem>}
 * to the transform server and expects one netstring back. A server that closes without a reply
 * (an unknown transform, say) fails the Deferred with {@link TransformFailedException}.
 */
public final class TransformClient {
    private TransformClient() {
    }

    /** The server closed without sending the transformed poem. */
    public static final class TransformFailedException extends Exception {
        public TransformFailedException(String message) {
            super(message);
        }
    }

    /** Asks the server at {@code address} to apply {@code transform} to {@code poem}. */
    public static Deferred<String> transform(ReactorTCP reactor, HostPort address, String transform, String poem) {
        Protocol[] protocol = new Protocol[1];
        Deferred<String> result = new Deferred<>(self -> {
            if (protocol[0] != null && protocol[0].transport() != null) {
                protocol[0].transport().abortConnection();
            }
        });
        reactor.connectTCP(address.host(), address.port(), new ClientFactory() {
            @Override
            public Protocol buildProtocol(Address peer) {
                protocol[0] = new NetstringReceiver() {
                    @Override
                    public void connectionMade() {
                        sendString((transform + "." + poem).getBytes(StandardCharsets.UTF_8));
                    }

                    @Override
                    protected void stringReceived(byte[] payload) {
                        transport().loseConnection();
                        if (!result.isCalled()) {
                            result.callback(new String(payload, StandardCharsets.UTF_8));
                        }
                    }

                    @Override
                    public void connectionLost(Failure reason) {
                        if (!result.isCalled()) {
                            result.errback(new Failure(reason.value() instanceof ConnectionDone
                                    ? new TransformFailedException("the transform server closed without an answer")
                                    : reason.value()));
                        }
                    }
                };
                return protocol[0];
            }

            @Override
            public void clientConnectionFailed(Connector connector, Failure reason) {
                if (!result.isCalled()) {
                    result.errback(reason);
                }
            }
        });
        return result;
    }
}
