package dev.twine.tutorial.programs;

import dev.twine.application.Service;
import dev.twine.application.ServiceMaker;
import dev.twine.reactor.Reactor;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The fast poetry service as a plugin (twisted/plugins/fastpoetry_plugin.py): {@code ./twine run
 * fastpoetry --port 10000 --poem science.txt}. Found by {@link java.util.ServiceLoader}; the
 * service is {@link FastPoetryService}'s: the poem loaded when it starts, then the port.
 */
public final class FastPoetryPlugin implements ServiceMaker<FastPoetryPlugin.Options> {

    /** The plugin's options, as the original's {@code usage.Options}. */
    public static final class Options {
        @Option(names = {"-p", "--port"}, defaultValue = "10000", paramLabel = "PORT",
                description = "The port number to listen on (default: ${DEFAULT-VALUE}).")
        int port = 10000;

        @Option(names = "--poem", required = true, paramLabel = "FILE", description = "The file containing the poem.")
        Path poem;

        @Option(names = "--iface", defaultValue = "127.0.0.1", paramLabel = "HOST",
                description = "The interface to listen on (default: ${DEFAULT-VALUE}).")
        String iface = "127.0.0.1";

        /** The interface it will listen on. */
        public String iface() {
            return iface;
        }
    }

    @Override
    public String name() {
        return "fastpoetry";
    }

    @Override
    public String description() {
        return "A fast poetry service.";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public Service makeService(Reactor reactor, Options options) {
        if (!Files.isRegularFile(options.poem)) {
            throw new IllegalArgumentException("No such file: " + options.poem);
        }
        return FastPoetryService.create(reactor, options.poem, options.port, options.iface);
    }
}
