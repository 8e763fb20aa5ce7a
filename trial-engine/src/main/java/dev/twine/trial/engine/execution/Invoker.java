package dev.twine.trial.engine.execution;

import dev.twine.reactor.Reactor;
import dev.twine.trial.TrialContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.opentest4j.TestAbortedException;

/**
 * Creates one test's instance of the test class and calls its methods (set-ups, the test,
 * tear-downs), supplying each parameter: the {@link TrialContext}, or the reactor when the
 * parameter's type is one the reactor implements. Used on the reactor thread only, by the {@link
 * PhaseSequence}; it owns the instance.
 */
final class Invoker {
    private final Class<?> testClass;
    private final Reactor reactor;
    private final String providerName;
    private final TrialContext context;
    private Object instance;

    Invoker(Class<?> testClass, Reactor reactor, String providerName, TrialContext context) {
        this.testClass = testClass;
        this.reactor = reactor;
        this.providerName = providerName;
        this.context = context;
    }

    /**
     * Creates the instance with the class's no-argument constructor (any visibility).
     *
     * @throws InvocationTargetException wrapping what the constructor threw
     */
    void construct() throws ReflectiveOperationException {
        var constructor = testClass.getDeclaredConstructor();
        constructor.setAccessible(true);
        instance = constructor.newInstance();
    }

    /**
     * Calls {@code target} on the instance and returns what it returned; throws what it threw
     * (unwrapped). A parameter the reactor does not provide (a capability it lacks) skips the test
     * with {@link TestAbortedException}.
     */
    Object invoke(Method target) throws Exception {
        Object[] arguments = new Object[target.getParameterCount()];
        Class<?>[] types = target.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == TrialContext.class) {
                arguments[i] = context;
            } else if (types[i].isInstance(reactor)) {
                arguments[i] = reactor;
            } else {
                throw new TestAbortedException("the " + providerName + " reactor does not provide "
                        + types[i].getSimpleName() + " (capability not declared)");
            }
        }
        try {
            target.setAccessible(true);
            return target.invoke(instance, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
