package dev.twine.trial;

import dev.twine.reactor.Capability;
import dev.twine.reactor.Reactor;
import dev.twine.reactor.ReactorProvider;
import dev.twine.reactor.nio.NioReactor;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** A provider whose reactor keeps a timer of its own from the start, as some third-party reactors do. */
public final class HousekeepingProvider implements ReactorProvider {
    @Override
    public String name() {
        return "housekeeping";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public Reactor createReactor() {
        NioReactor reactor = new NioReactor();
        reactor.callLater(Duration.ofHours(1), () -> { });
        return reactor;
    }
}
