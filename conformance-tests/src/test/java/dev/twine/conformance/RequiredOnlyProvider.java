package dev.twine.conformance;

import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.reactor.nio.NioReactor;
import java.util.EnumSet;
import java.util.Set;

/** The built-in reactor, declaring only what every reactor must have. */
public final class RequiredOnlyProvider implements ReactorProvider {
    @Override
    public String name() {
        return "required-only";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CORE, Capability.TIME, Capability.THREADS, Capability.TCP);
    }

    @Override
    public Reactor createReactor() {
        return new NioReactor();
    }
}
