package com.example;

import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.reactor.nio.NioReactor;
import java.util.EnumSet;
import java.util.Set;

/** The project's provider, through the public SPI only. It does not offer UDP or TLS. */
public final class ExampleReactorProvider implements ReactorProvider {
    @Override
    public String name() {
        return "example";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CORE, Capability.TIME, Capability.THREADS, Capability.TCP, Capability.IPV6,
                Capability.UNIX, Capability.DESCRIPTORS);
    }

    @Override
    public Reactor createReactor() {
        return new NioReactor();
    }
}
