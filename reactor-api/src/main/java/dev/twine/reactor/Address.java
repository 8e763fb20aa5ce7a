package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The address of one end of a connection or of a listening port, as given to {@code
 * buildProtocol} and returned by {@code getHost()} / {@code getPeer()}. The implementations print
 * as Twisted's do ({@code IPv4Address(type='TCP', host='127.0.0.1', port=10000)}).
 */
@API(status = STABLE, since = "0.1")
public sealed interface Address permits IPv4Address, IPv6Address, UnixAddress {
}
