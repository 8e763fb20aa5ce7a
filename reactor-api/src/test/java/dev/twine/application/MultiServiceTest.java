package dev.twine.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twine.defer.Deferred;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiServiceTest {
    final List<String> events = new ArrayList<>();

    /** Records its start and stop; each returns the Deferred the test hands it. */
    final class Recording implements Service {
        final String name;
        Deferred<Void> onStart = Deferred.succeed(null);
        Deferred<Void> onStop = Deferred.succeed(null);
        boolean running;

        Recording(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Deferred<Void> startService() {
            events.add("start " + name);
            running = true;
            return onStart;
        }

        @Override
        public Deferred<Void> stopService() {
            events.add("stop " + name);
            running = false;
            return onStop;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }

    @Test
    void childrenStartInOrderEachWaitedForAndStopInReverse() {
        Recording a = new Recording("a");
        Recording b = new Recording("b");
        Recording c = new Recording("c");
        a.onStart = new Deferred<>();
        MultiService all = new MultiService("all").add(a).add(b).add(c);

        List<String> done = new ArrayList<>();
        all.startService().addCallback(ignored -> done.add("started"));
        assertThat(events).containsExactly("start a");
        assertThat(done).isEmpty();
        a.onStart.callback(null);
        assertThat(events).containsExactly("start a", "start b", "start c");
        assertThat(done).containsExactly("started");
        assertThat(all.isRunning()).isTrue();

        c.onStop = new Deferred<>();
        all.stopService().addCallback(ignored -> done.add("stopped"));
        assertThat(events).endsWith("stop c");
        assertThat(done).containsExactly("started");
        c.onStop.callback(null);
        assertThat(events).endsWith("stop c", "stop b", "stop a");
        assertThat(done).containsExactly("started", "stopped");
        assertThat(all.isRunning()).isFalse();
    }

    @Test
    void aChildThatFailsToStartStopsTheOnesStartedAndFailsTheStart() {
        Recording a = new Recording("a");
        Recording b = new Recording("b");
        Recording c = new Recording("c");
        b.onStart = Deferred.fail(new IllegalStateException("b cannot start"));
        MultiService all = new MultiService("all").add(a).add(b).add(c);
        Throwable[] reason = new Throwable[1];
        all.startService().addVoidErrback(failure -> {
            reason[0] = failure.value();
        });
        assertThat(events).containsExactly("start a", "start b", "stop a");
        assertThat(reason[0]).hasMessage("b cannot start");
        assertThat(all.isRunning()).isFalse();
    }

    @Test
    void everyChildIsStoppedEvenWhenOneFailsAndTheFirstFailureIsTheResult() {
        Recording a = new Recording("a");
        Recording b = new Recording("b");
        MultiService all = new MultiService("all").add(a).add(b);
        all.startService();
        b.onStop = Deferred.fail(new IllegalStateException("b would not stop"));
        Throwable[] reason = new Throwable[1];
        all.stopService().addVoidErrback(failure -> {
            reason[0] = failure.value();
        });
        assertThat(events).endsWith("stop b", "stop a");
        assertThat(reason[0]).hasMessage("b would not stop");
    }

    @Test
    void misuseIsRefused() {
        MultiService all = new MultiService("all").add(new Recording("a"));
        assertThatThrownBy(() -> all.add(new Recording("a"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("all already has a service called a");
        assertThatThrownBy(all::stopService).isInstanceOf(IllegalStateException.class).hasMessage("all is not running");
        all.startService();
        assertThatThrownBy(() -> all.add(new Recording("b"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(all::startService).isInstanceOf(IllegalStateException.class).hasMessage("all is already running");
    }

    @Test
    void anApplicationFindsTheServicesSetUnderIt() {
        Application application = new Application("fastpoetry");
        Recording poetry = new Recording("poetry");
        Recording tcp = new Recording("tcp");
        poetry.setServiceParent(application);
        tcp.setServiceParent(application);
        assertThat(application.getServiceNamed("tcp")).isSameAs(tcp);
        assertThat(application.children()).containsExactly(poetry, tcp);
        assertThatThrownBy(() -> application.getServiceNamed("nope")).isInstanceOf(java.util.NoSuchElementException.class)
                .hasMessage("fastpoetry has no service called nope");
        application.startService();
        application.stopService();
        assertThat(events).containsExactly("start poetry", "start tcp", "stop tcp", "stop poetry");
    }
}
