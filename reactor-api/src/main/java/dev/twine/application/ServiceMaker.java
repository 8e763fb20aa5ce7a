package dev.twine.application;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.twine.reactor.Reactor;
import org.apiguardian.api.API;

/**
 * A plugin that makes a service from command-line options: Twisted's {@code IServiceMaker}, what
 * {@code twistd <name>} runs. Runners find makers with {@link java.util.ServiceLoader} (list the
 * class in {@code META-INF/services/dev.twine.application.ServiceMaker}) and pick one by {@link
 * #name()}.
 *
 * @param <O> the options: a fresh object from {@link #options()} that the runner fills from the
 *     command line before {@link #makeService} (Twine's {@code ./twine run} reads picocli's
 *     {@code @Option} and {@code @Parameters} annotations on its fields)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface ServiceMaker<O> {

    /** The name it is run by ({@code fastpoetry}): Twisted's {@code tapname}. */
    String name();

    /** One line saying what the service does, for the runner's help. */
    String description();

    /** A new options object, with the defaults set, for the runner to fill. */
    O options();

    /**
     * The service to run with {@code reactor}, made from the filled options. It is started once
     * the reactor runs and stopped, waited for, before the reactor shuts down.
     *
     * @throws IllegalArgumentException if the options do not make sense (the runner prints the
     *     message as a usage error)
     */
    Service makeService(Reactor reactor, O options);
}
