package dev.twine.reactor.netty;

import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code netty} reactor provider: {@link NettyReactor}s. It declares only what the
 * conformance suite has seen it pass: the required capabilities, TCP over IPv6, UDP, Unix domain
 * sockets, TLS (Netty's SslHandler on the JDK's SSLEngine) and watching user channels
 * (descriptors): every capability there is.
 */
public final class NettyReactorProvider implements ReactorProvider {
    @Override
    public String name() {
        return "netty";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CORE, Capability.TIME, Capability.THREADS, Capability.TCP, Capability.IPV6,
                Capability.UDP, Capability.UNIX, Capability.TLS, Capability.DESCRIPTORS);
    }

    @Override
    public Reactor createReactor() {
        return new NettyReactor();
    }
}
