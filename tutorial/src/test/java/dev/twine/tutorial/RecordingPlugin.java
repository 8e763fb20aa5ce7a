package dev.twine.tutorial;

import dev.twine.application.Application;
import dev.twine.application.Service;
import dev.twine.application.ServiceMaker;
import dev.twine.defer.Deferred;
import dev.twine.log.Log;
import dev.twine.reactor.Reactor;
import picocli.CommandLine.Option;

/** A plugin for RunCommandTest: services that log their starts and stops. */
public final class RecordingPlugin implements ServiceMaker<RecordingPlugin.Options> {

    /** Its options. */
    public static final class Options {
        @Option(names = "--services", defaultValue = "3", description = "How many services.")
        int services;
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public String description() {
        return "Services that log when they start and stop (for tests).";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public Service makeService(Reactor reactor, Options options) {
        Application application = new Application("recording");
        for (int i = 1; i <= options.services; i++) {
            String name = "service-" + i;
            new Service() {
                private boolean running;

                @Override
                public String name() {
                    return name;
                }

                @Override
                public Deferred<Void> startService() {
                    running = true;
                    Log.system(name).msg("started");
                    return Deferred.succeed(null);
                }

                @Override
                public Deferred<Void> stopService() {
                    running = false;
                    Log.system(name).msg("stopped");
                    return Deferred.succeed(null);
                }

                @Override
                public boolean isRunning() {
                    return running;
                }
            }.setServiceParent(application);
        }
        return application;
    }
}
