package dev.twine.reactor.nio;

import dev.twine.conformance.broken.BrokenProvider;
import dev.twine.conformance.broken.CaughtBy;

/**
 * Transport faults injected inside the built-in reactor (through package-private test hooks), so
 * that the suite is shown to catch them where a real implementation would have them, not only
 * at the API boundary.
 */
final class NioTransportFaults {
    private NioTransportFaults() {
    }

    /**
     * A TLS close without close_notify: loseConnection sends every byte, then closes the TCP
     * connection without TLS's own closing alert, so a peer cannot tell the end from a truncation.
     */
    @CaughtBy(value = "TLS-06", reason = "then end of stream without close_notify")
    public static final class TlsCloseWithoutCloseNotify extends BrokenProvider {
        public TlsCloseWithoutCloseNotify() {
            super("broken-tls-close-without-close-notify", () -> {
                NioReactor reactor = new NioReactor();
                reactor.omitCloseNotifyForTests = true;
                return reactor;
            });
        }
    }
}
