package dev.twine.conformance.broken;

import dev.twine.defer.Deferred;
import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.ListeningPort;

/** Broken reactors that get addresses wrong: the IPv6 capability's faults. */
final class AddressFaults {
    private AddressFaults() {
    }

    /**
     * An IPv6 port reported as an IPv4Address: a reactor that builds addresses from the socket's
     * host text and port without looking at the address family.
     */
    @CaughtBy(value = {"IPV6-01", "IPV6-21"}, reason = "IPv6Address.*but was.*IPv4Address|IPv4Address.*instead")
    public static final class Ipv6PortReportedAsIpv4 extends BrokenProvider {
        public Ipv6PortReportedAsIpv4() {
            super("broken-ipv6-port-reported-as-ipv4", () -> new ForwardingReactor() {
                @Override
                protected ListeningPort wrap(ListeningPort port) {
                    return new ListeningPort() {
                        @Override
                        public Deferred<Void> stopListening() {
                            return port.stopListening();
                        }

                        @Override
                        public Address getHost() {
                            Address host = port.getHost();
                            return host instanceof IPv6Address six ? new IPv4Address(six.type(), six.host(), six.port()) : host;
                        }
                    };
                }
            });
        }
    }
}
