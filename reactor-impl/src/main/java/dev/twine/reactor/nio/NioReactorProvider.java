package dev.twine.reactor.nio;

import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import java.util.EnumSet;
import java.util.Set;

/** Registers {@link NioReactor} as the {@code nio} provider, with every capability. */
public final class NioReactorProvider implements ReactorProvider {

    /** The provider's name. */
    public static final String NAME = "nio";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public Reactor createReactor() {
        return new NioReactor();
    }
}
