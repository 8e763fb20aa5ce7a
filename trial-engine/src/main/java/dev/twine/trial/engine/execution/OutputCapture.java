package dev.twine.trial.engine.execution;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.twine.trial.engine.config.TrialConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * Internal. Captures what each test prints, as JUnit's {@code junit.platform.output.capture.stdout}
 * and {@code .stderr} ask, so that it is reported on that test with JUnit's keys {@code stdout} and
 * {@code stderr}. The launcher's own capture cannot do this for trial: it captures per thread, and a
 * trial test prints on its class's reactor thread, not on the engine thread the launcher watches.
 *
 * <p>While installed (one run of the engine), {@code System.out} and {@code System.err} are
 * wrapped. A write is the test's when it comes from a thread of a class's thread group (its
 * reactor thread, and the threads its tests start) while one of that class's tests runs; so
 * classes running in parallel never mix. Each test keeps at most {@code
 * junit.platform.output.capture.maxBuffer} bytes per stream (JUnit's default: 4 MiB). As with
 * JUnit, captured output still reaches the console. When the launcher captures too (its
 * interceptor is the stream this one wraps), the test's output is handed to the launcher from the
 * engine thread when the test ends, so that the launcher reports it on the right test and once;
 * the console then shows it at that moment rather than as it is printed.
 *
 * <p>Installed and closed on the engine thread; {@link #start} and {@link Recording#stop} on the
 * engine thread that runs the test; writes come from any thread.
 */
@API(status = INTERNAL, since = "0.1")
public final class OutputCapture implements AutoCloseable {
    /** The class of the launcher's capturing stream (junit-platform-launcher's {@code StreamInterceptor}). */
    static final String LAUNCHER_INTERCEPTOR = "org.junit.platform.launcher.core.StreamInterceptor";

    private final CapturingStream out;
    private final CapturingStream err;

    private OutputCapture(CapturingStream out, CapturingStream err) {
        this.out = out;
        this.err = err;
    }

    /** Wraps the streams the configuration asks to capture; null when it asks for none. */
    public static OutputCapture install(TrialConfiguration config) {
        if (!config.captureStdout() && !config.captureStderr()) {
            return null;
        }
        CapturingStream out = null;
        CapturingStream err = null;
        if (config.captureStdout()) {
            out = new CapturingStream(System.out, config.captureMaxBuffer(), System::setOut);
            System.setOut(out);
        }
        if (config.captureStderr()) {
            err = new CapturingStream(System.err, config.captureMaxBuffer(), System::setErr);
            System.setErr(err);
        }
        return new OutputCapture(out, err);
    }

    /** Starts capturing what the threads of {@code group} print, for one test. */
    Recording start(ThreadGroup group) {
        return new Recording(group, out == null ? null : out.start(group), err == null ? null : err.start(group));
    }

    /** Puts the original streams back (unless something replaced these since: these then just pass writes on). */
    @Override
    public void close() {
        if (out != null) {
            out.uninstall(System.out);
        }
        if (err != null) {
            err.uninstall(System.err);
        }
    }

    /** What one test printed, captured while it ran. */
    final class Recording {
        private final ThreadGroup group;
        private final Buffer outBuffer;
        private final Buffer errBuffer;

        private Recording(ThreadGroup group, Buffer outBuffer, Buffer errBuffer) {
            this.group = group;
            this.outBuffer = outBuffer;
            this.errBuffer = errBuffer;
        }

        /**
         * Stops capturing and returns what the engine must report: {@code stdout} and {@code
         * stderr}, each only when not blank (as JUnit reports them). Output the launcher captures
         * is written to it now, from this (the test's engine) thread, and not returned.
         */
        Map<String, String> stop() {
            Map<String, String> entries = new LinkedHashMap<>();
            if (out != null) {
                out.stop(group, outBuffer, "stdout", entries);
            }
            if (err != null) {
                err.stop(group, errBuffer, "stderr", entries);
            }
            return entries;
        }
    }

    /** At most {@code max} bytes of one test's output on one stream. */
    private static final class Buffer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int max;

        Buffer(int max) {
            this.max = max;
        }

        synchronized void write(int b) {
            if (bytes.size() < max) {
                bytes.write(b);
            }
        }

        synchronized void write(byte[] b, int off, int len) {
            int room = max - bytes.size();
            if (room > 0) {
                bytes.write(b, off, Math.min(room, len));
            }
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** System.out or System.err, wrapped: a test's writes go to its buffer (and on), the rest straight on. */
    private static final class CapturingStream extends PrintStream {
        private final PrintStream underlying;
        private final Consumer<PrintStream> setter;
        private final int maxBuffer;
        /** The launcher captures too: a test's output is handed to it when the test ends, not echoed as it comes. */
        private final boolean launcherCaptures;
        private final Map<ThreadGroup, Buffer> buffers = new ConcurrentHashMap<>();
        private volatile boolean uninstalled;

        CapturingStream(PrintStream underlying, int maxBuffer, Consumer<PrintStream> setter) {
            // This stream encodes text with the default charset (as the launcher's does), and decodes it so too.
            super(underlying, true);
            this.underlying = underlying;
            this.setter = setter;
            this.maxBuffer = maxBuffer;
            this.launcherCaptures = underlying.getClass().getName().equals(LAUNCHER_INTERCEPTOR);
        }

        Buffer start(ThreadGroup group) {
            Buffer buffer = new Buffer(maxBuffer);
            buffers.put(group, buffer);
            return buffer;
        }

        void stop(ThreadGroup group, Buffer buffer, String key, Map<String, String> entries) {
            buffers.remove(group, buffer);
            byte[] bytes = buffer.bytes();
            if (bytes.length == 0) {
                return;
            }
            if (launcherCaptures) {
                underlying.write(bytes, 0, bytes.length);
                underlying.flush();
                return;
            }
            String text = new String(bytes, Charset.defaultCharset());
            if (!text.isBlank()) {
                entries.put(key, text);
            }
        }

        void uninstall(PrintStream current) {
            uninstalled = true;
            buffers.clear();
            if (current == this) {
                setter.accept(underlying);
            }
        }

        /** The buffer of the test whose class's thread group the current thread is in, if one runs. */
        private Buffer buffer() {
            if (uninstalled || buffers.isEmpty()) {
                return null;
            }
            for (ThreadGroup group = Thread.currentThread().getThreadGroup(); group != null; group = group.getParent()) {
                Buffer buffer = buffers.get(group);
                if (buffer != null) {
                    return buffer;
                }
            }
            return null;
        }

        @Override
        public void write(int b) {
            Buffer buffer = buffer();
            if (buffer != null) {
                buffer.write(b);
                if (launcherCaptures) {
                    return;
                }
            }
            super.write(b);
        }

        @Override
        public void write(byte[] b) {
            write(b, 0, b.length);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Buffer buffer = buffer();
            if (buffer != null) {
                buffer.write(b, off, len);
                if (launcherCaptures) {
                    return;
                }
            }
            super.write(b, off, len);
        }
    }
}
