package dev.twine.defer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Failure still unhandled in a live Deferred when the JVM exits is reported then, once, with its
 * trace, as Twisted reports at interpreter exit (the tutorial's defer-unhandled): each case runs a
 * small program in a child JVM and reads its standard error.
 */
class UnhandledAtExitTest {

    /** The programs the child JVMs run: {@code args[0]} says which. */
    public static final class Program {
        /** Strongly held until exit, so that no garbage collection reports it first. */
        static final List<Deferred<?>> KEPT = new ArrayList<>();

        public static void main(String[] args) {
            switch (args[0]) {
                case "unhandled" -> KEPT.add(Deferred.fail(new IllegalStateException("nobody handled me")));
                case "handled" -> {
                    Deferred<Object> d = Deferred.fail(new IllegalStateException("handled at once"));
                    d.addErrback(failure -> "recovered");
                    KEPT.add(d);
                }
                case "handled-later" -> {
                    Deferred<Object> d = Deferred.fail(new IllegalStateException("handled before exit"));
                    KEPT.add(d);
                    d.addErrback(failure -> "recovered");
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("main returns");
        }
    }

    private static String[] run(String which, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Program.class.getName(), which));
        Process child = new ProcessBuilder(command).start();
        child.getOutputStream().close();
        byte[] out = child.getInputStream().readAllBytes();
        byte[] err = child.getErrorStream().readAllBytes();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
        assertThat(child.exitValue()).as("its exit status; stderr: %s", new String(err, StandardCharsets.UTF_8)).isZero();
        return new String[] {new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8)};
    }

    @Test
    void aFailureStillUnhandledAtExitIsReportedOnceWithItsTrace() throws Exception {
        String[] output = run("unhandled");
        assertThat(output[0]).isEqualTo("main returns" + System.lineSeparator());
        assertThat(output[1]).startsWith(ErrorLog.UNHANDLED_IN_DEFERRED)
                .contains("java.lang.IllegalStateException: nobody handled me")
                .contains("at " + Program.class.getName() + ".main");
        assertThat(output[1].split(ErrorLog.UNHANDLED_IN_DEFERRED, -1)).as("reports in " + output[1]).hasSize(2);
    }

    @Test
    void aHandledFailureIsNeverReported() throws Exception {
        assertThat(run("handled")[1]).isEmpty();
        assertThat(run("handled-later")[1]).isEmpty();
    }

    @Test
    void theReportAtExitCanBeTurnedOff() throws Exception {
        assertThat(run("unhandled", "-D" + UnhandledFailures.REPORT_AT_EXIT + "=false")[1]).isEmpty();
    }
}
