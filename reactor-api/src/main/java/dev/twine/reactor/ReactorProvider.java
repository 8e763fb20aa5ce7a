package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The service through which a reactor implementation plugs into Twine: the trial engine, the
 * conformance suite and the command line get their reactors from one. Register an implementation
 * in {@code META-INF/services/dev.twine.reactor.ReactorProvider}, or name its class in the
 * {@value #PROVIDER_KEY} key.
 *
 * <p>Implementations need a public no-argument constructor and must be safe to call from any
 * thread; each {@link #createReactor()} returns a new, independent reactor that has not run.
 */
@API(status = STABLE, since = "0.1")
public interface ReactorProvider {

    /**
     * The configuration key (a system property, or a JUnit configuration parameter for the trial
     * engine and the conformance suite) naming the provider to use: a provider's {@link #name()}
     * or the fully qualified name of its class.
     */
    String PROVIDER_KEY = "twine.reactor.provider";

    /** A short, unique name, such as {@code nio}. */
    String name();

    /** What its reactors can do; must include every required {@link Capability}. */
    Set<Capability> capabilities();

    /** A new reactor, not yet running. */
    Reactor createReactor();

    /** The providers registered with {@link ServiceLoader} on {@code loader}, sorted by name. */
    static List<ReactorProvider> available(ClassLoader loader) {
        List<ReactorProvider> found = new ArrayList<>();
        try {
            for (ReactorProvider provider : ServiceLoader.load(ReactorProvider.class, loader)) {
                found.add(provider);
            }
        } catch (ServiceConfigurationError e) {
            throw new ReactorProviderException("A registered ReactorProvider could not be loaded: " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(ReactorProvider::name));
        return found;
    }

    /** The providers registered on the context class loader (or this interface's loader). */
    static List<ReactorProvider> available() {
        return available(defaultLoader());
    }

    /**
     * The provider called {@code selection} (a {@link #name()} among the registered ones, or a
     * class name), or, when {@code selection} is null or blank, the only registered one.
     *
     * @throws ReactorProviderException if there is none, the name matches nothing, or several are
     *     registered and none was named; the message lists what is available
     */
    static ReactorProvider select(String selection, ClassLoader loader) {
        List<ReactorProvider> registered = available(loader);
        String names = registered.isEmpty() ? "none"
                : registered.stream().map(p -> p.name() + " (" + p.getClass().getName() + ")").collect(Collectors.joining(", "));
        if (selection == null || selection.isBlank()) {
            if (registered.size() == 1) {
                return registered.get(0);
            }
            if (registered.isEmpty()) {
                throw new ReactorProviderException("No ReactorProvider is registered on the class path. Add "
                        + "dev.twine:twine-reactor-impl, or name a provider class with -D" + PROVIDER_KEY + "=<class>.");
            }
            throw new ReactorProviderException("Several ReactorProviders are registered (" + names + "); choose one with "
                    + PROVIDER_KEY + "=<name>.");
        }
        String wanted = selection.trim();
        for (ReactorProvider provider : registered) {
            if (provider.name().equals(wanted) || provider.getClass().getName().equals(wanted)) {
                return provider;
            }
        }
        return instantiate(wanted, loader, names);
    }

    /** {@link #select(String, ClassLoader)} with the {@value #PROVIDER_KEY} system property. */
    static ReactorProvider selected() {
        return select(System.getProperty(PROVIDER_KEY), defaultLoader());
    }

    private static ReactorProvider instantiate(String className, ClassLoader loader, String names) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ReactorProviderException("No ReactorProvider is called '" + className + "'. Registered: " + names
                    + ". Use a registered name or the class name of a ReactorProvider on the class path.", e);
        }
        if (!ReactorProvider.class.isAssignableFrom(type)) {
            throw new ReactorProviderException(className + " does not implement " + ReactorProvider.class.getName() + ".");
        }
        try {
            return (ReactorProvider) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new ReactorProviderException(className + " needs a public no-argument constructor.", e);
        } catch (InstantiationException | InvocationTargetException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new ReactorProviderException(className + " could not be created: " + cause, cause);
        }
    }

    private static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ReactorProvider.class.getClassLoader();
    }
}
