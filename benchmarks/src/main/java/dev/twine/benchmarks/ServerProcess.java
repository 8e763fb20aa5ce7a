package dev.twine.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An {@link EchoServers} process, pinned to core 0 with taskset when it is available. */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    final int port;

    ServerProcess(String impl) throws IOException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/taskset")) && Runtime.getRuntime().availableProcessors() > 1) {
            command.addAll(List.of("/usr/bin/taskset", "-c", "0"));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        command.addAll(List.of(java, "-Xms512m", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                EchoServers.class.getName(), impl));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String line = out.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            process.destroyForcibly();
            throw new IOException(impl + " echo server did not start: " + line);
        }
        port = Integer.parseInt(line.substring(5).trim());
    }

    /** CPU time the server process has used so far, in seconds (Linux; NaN elsewhere). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks / 100.0; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Memory the server holds after a garbage collection: heap, and native memory in direct buffers. */
    record Memory(long heap, long direct) {
    }

    Memory memoryUsed() throws IOException {
        in.println("HEAP");
        String line = out.readLine();
        if (line == null || !line.startsWith("HEAP ")) {
            throw new IOException("unexpected answer: " + line);
        }
        String[] fields = line.substring(5).trim().split(" ");
        return new Memory(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
    }

    @Override
    public void close() {
        in.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Pins this JVM (the load) to core 1, away from the server, when it can. */
    static void pinSelfToCore1() {
        if (Files.isExecutable(Path.of("/usr/bin/taskset")) && Runtime.getRuntime().availableProcessors() > 1) {
            try {
                new ProcessBuilder("/usr/bin/taskset", "-a", "-p", "-c", "1", String.valueOf(ProcessHandle.current().pid()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                // unpinned, then
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
