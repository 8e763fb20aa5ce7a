package dev.twine.conformance.broken;

import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A provider for one broken reactor: every capability declared, so every rule runs. Subclasses
 * need a public no-argument constructor (the suite selects them by class name) and a
 * {@link CaughtBy}.
 */
public abstract class BrokenProvider implements ReactorProvider {
    private final String name;
    private final Supplier<Reactor> make;

    protected BrokenProvider(String name, Supplier<Reactor> make) {
        this.name = name;
        this.make = make;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public Reactor createReactor() {
        return make.get();
    }
}
