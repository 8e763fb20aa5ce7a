package dev.twine.sim;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.defer.Deferred;
import dev.twine.testing.SeededParameters;
import java.lang.reflect.Method;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Lets the trial engine give a test a {@link Simulation}: found through {@link
 * java.util.ServiceLoader} as a {@link SeededParameters}. Not for tests to use directly.
 */
@API(status = INTERNAL, since = "0.1")
public final class SimulationParameters implements SeededParameters {

    /** For {@link java.util.ServiceLoader}. */
    public SimulationParameters() {
    }

    @Override
    public boolean supports(Class<?> type) {
        return type == Simulation.class;
    }

    @Override
    public Seeds seeds(Method method, int defaultCount) {
        Simulated declared = declared(method);
        return declared == null ? new Seeds(1, defaultCount) : new Seeds(declared.firstSeed(), declared.runs());
    }

    @Override
    public Object create(Class<?> type, Method method, long seed) {
        Simulated declared = declared(method);
        SimulationOptions options = SimulationOptions.defaults();
        if (declared != null && !declared.faults().isBlank()) {
            options = options.withFaults(FaultPlan.parse(declared.faults()));
        }
        return new Simulation(seed, options);
    }

    @Override
    public Deferred<?> drive(Object parameter, Deferred<?> result) {
        Simulation sim = (Simulation) parameter;
        Deferred<Void> fired = new Deferred<>();
        result.addBoth((value, failure) -> {
            fired.callback(null);
            return failure == null ? value : failure; // passed on untouched for the runner
        });
        // Throws, naming the seed, when the simulation goes idle or hits a limit before it fires.
        sim.runUntil(fired);
        return result;
    }

    @Override
    public List<String> leftovers(Object parameter) {
        return ((Simulation) parameter).leftovers();
    }

    @Override
    public AssertionError failure(Object parameter, Throwable error) {
        if (error instanceof SimulationFailure already) {
            return already;
        }
        Simulation sim = (Simulation) parameter;
        return sim.failure(String.valueOf(error), error);
    }

    private static Simulated declared(Method method) {
        Simulated onMethod = method.getAnnotation(Simulated.class);
        return onMethod != null ? onMethod : method.getDeclaringClass().getAnnotation(Simulated.class);
    }
}
