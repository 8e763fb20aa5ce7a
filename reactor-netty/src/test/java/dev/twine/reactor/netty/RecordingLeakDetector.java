package dev.twine.reactor.netty;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, keeping every leak it reports so that a test can fail on one. Surefire
 * installs it for the whole test JVM ({@code -Dio.netty.customResourceLeakDetector}), so the
 * conformance suite's traffic is watched too.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    /** The leaks reported so far in this JVM. */
    static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /**
     * The constructor Netty looks for first (and logs SEVERE when it is missing) before it takes
     * the one above; {@code maxActive} is ignored, as Netty's own detector ignores it.
     */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    @Override
    protected boolean needReport() {
        return true; // whatever the logging set-up
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add("LEAK: " + resourceType + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add("LEAK (untraced): " + resourceType);
        super.reportUntracedLeak(resourceType);
    }
}
