package dev.twine.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import dev.twine.trial.examples.BadDeclarations;
import dev.twine.trial.examples.Basics;
import dev.twine.trial.examples.ManyOrdered;
import dev.twine.trial.examples.Mixed;
import dev.twine.trial.examples.EightInOneClass;
import dev.twine.trial.examples.Parallel1;
import dev.twine.trial.examples.ParallelBystander;
import dev.twine.trial.examples.ParallelLeaker;
import dev.twine.trial.examples.Parallel2;
import dev.twine.trial.examples.ParallelMeeting;
import dev.twine.trial.examples.Repeats;
import dev.twine.trial.examples.Overloaded;
import dev.twine.trial.examples.SetUpOrder;
import dev.twine.trial.examples.Tagged;
import dev.twine.trial.examples.TaggedSubclass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class TrialEngineDiscoveryTest {

    private static EngineDiscoveryResults discover(LauncherDiscoveryRequestBuilder request) {
        return EngineTestKit.discover(TrialKeys.ENGINE_ID, request.build());
    }

    @Test
    void everyBadDeclarationIsAnErrorWithItsSource() {
        EngineDiscoveryResults results = discover(LauncherDiscoveryRequestBuilder.request().selectors(
                selectClass(BadDeclarations.class), selectClass(BadDeclarations.Inner.class),
                selectClass(BadDeclarations.NeedsArguments.class)));
        List<DiscoveryIssue> issues = results.getDiscoveryIssues();
        assertThat(issues).allSatisfy(issue -> {
            assertThat(issue.severity()).isEqualTo(DiscoveryIssue.Severity.ERROR);
            assertThat(issue.source()).isPresent();
        });
        assertThat(issues).extracting(DiscoveryIssue::message).anySatisfy(m -> assertThat(m).endsWith("privateTest must not be private"))
                .anySatisfy(m -> assertThat(m).endsWith("staticTest must not be static"))
                .anySatisfy(m -> assertThat(m).contains("returnsAString must return void, a Deferred or a CompletionStage, not java.lang.String"))
                .anySatisfy(m -> assertThat(m).contains("wantsAParameter has a parameter of type java.lang.String the engine cannot supply"))
                .anySatisfy(m -> assertThat(m).contains("BadDeclarations$Inner is an inner class; make it static"))
                .anySatisfy(m -> assertThat(m).contains("BadDeclarations$NeedsArguments needs a no-argument constructor"))
                .anySatisfy(m -> assertThat(m).isEqualTo("@Timeout(0) on @TrialTest method "
                        + BadDeclarations.class.getName() + ".zeroTimeout must be positive"))
                .anySatisfy(m -> assertThat(m).contains(".negativeTimeout must be positive"));
        TestDescriptor root = results.getEngineDescriptor();
        assertThat(root.getDescendants()).extracting(TestDescriptor::getDisplayName).containsExactlyInAnyOrder("BadDeclarations", "fine");
    }

    @Test
    void classesAndTestsCarrySourcesAndUniqueIdsResolveAgain() {
        TestDescriptor root = discover(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Basics.class)))
                .getEngineDescriptor();
        TestDescriptor classNode = root.getChildren().iterator().next();
        assertThat(classNode.getSource()).contains(ClassSource.from(Basics.class));
        assertThat(classNode.getUniqueId()).hasToString("[engine:twine-trial]/[class:dev.twine.trial.examples.Basics]");
        assertThat(classNode.getChildren()).hasSize(8).allSatisfy(test -> {
            assertThat(test.getSource()).get().isInstanceOf(MethodSource.class);
            assertThat(test.getDisplayName()).isNotEmpty();
            UniqueId id = test.getUniqueId();
            TestDescriptor again = discover(LauncherDiscoveryRequestBuilder.request().selectors(selectUniqueId(id))).getEngineDescriptor();
            assertThat(again.findByUniqueId(id)).as("re-resolved %s", id).isPresent();
            assertThat(again.getDescendants()).hasSize(2);
        });
        TestDescriptor withParameter = classNode.getChildren().stream()
                .filter(t -> t.getDisplayName().equals("passesWhenTheDeferredFires")).findFirst().orElseThrow();
        assertThat(withParameter.getUniqueId().getLastSegment().getValue()).isEqualTo("passesWhenTheDeferredFires(dev.twine.reactor.Reactor)");
    }

    @Test
    void methodAndPackageSelectors() {
        TestDescriptor one = discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(Basics.class.getName() + "#passesSynchronously"))).getEngineDescriptor();
        assertThat(one.getDescendants()).extracting(TestDescriptor::getDisplayName).containsExactly("Basics", "passesSynchronously");

        TestDescriptor all = discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("dev.twine.trial.examples"))).getEngineDescriptor();
        assertThat(all.getChildren()).extracting(TestDescriptor::getDisplayName)
                .contains("Basics", "Dirty", "Lifecycle", "ManyOrdered", "Tagged").doesNotContain("LifecycleBase")
                .isSortedAccordingTo(String::compareTo);
    }

    @Test
    void classpathRootSelectorFindsTheClassesThere() throws Exception {
        Path root = Path.of(Basics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TestDescriptor all = discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(Set.of(root)))
                .filters(ClassNameFilter.includeClassNamePatterns(".*\\.examples\\.(Basics|Tagged)"))).getEngineDescriptor();
        assertThat(all.getChildren()).extracting(TestDescriptor::getDisplayName).containsExactly("Basics", "Tagged");
        assertThat(all.getDescendants()).filteredOn(TestDescriptor::isTest).hasSize(8 + 2);
    }

    @Test
    void tagsFromClassAndMethodFilterWithTheLauncher() {
        TestDescriptor root = discover(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Tagged.class))).getEngineDescriptor();
        TestDescriptor slow = root.getDescendants().stream().filter(d -> d.getDisplayName().equals("slowOne")).findFirst().orElseThrow();
        assertThat(slow.getTags()).containsExactlyInAnyOrder(TestTag.create("network"), TestTag.create("slow"));

        Events events = EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(Tagged.class))
                .filters(TagFilter.includeTags("slow")).execute().testEvents();
        events.assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void trialAndJupiterCoexistWithoutRunningEachOthersTests() {
        EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(Mixed.class)).execute().testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1))
                .assertThatEvents().haveExactly(1, event(test("trialTest"), finishedSuccessfully()));
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Mixed.class)).execute().testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1))
                .assertThatEvents().haveExactly(1, event(test("jupiterTest"), finishedSuccessfully()));
    }

    @Test
    void alphabeticalByDefaultAndShuffledRepeatablyWithASeed() {
        ManyOrdered.ORDER.clear();
        EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(ManyOrdered.class)).execute();
        assertThat(ManyOrdered.ORDER).isSorted().hasSize(8);

        List<List<String>> shuffled = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            ManyOrdered.ORDER.clear();
            var results = EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(ManyOrdered.class))
                    .configurationParameter(TrialKeys.RANDOM, "12345").execute();
            shuffled.add(List.copyOf(ManyOrdered.ORDER));
            assertThat(results.allEvents().reportingEntryPublished().stream())
                    .anySatisfy(e -> assertThat(e.getPayload().toString()).contains("twine.trial.random").contains("12345"));
        }
        assertThat(shuffled.get(0)).isEqualTo(shuffled.get(1)).isNotEqualTo(List.copyOf(shuffled.get(0)).stream().sorted().toList());
    }

    @Test
    void untilFailureRepeatsATestUntilItFails() {
        Repeats.RUNS.set(0);
        Events events = EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(Repeats.class))
                .configurationParameter(TrialKeys.UNTIL_FAILURE, "10").execute().testEvents();
        events.assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        assertThat(Repeats.RUNS.get()).isEqualTo(3);
        assertThat(events.started().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactly("pass 1 of at most 10", "pass 2 of at most 10", "pass 3 of at most 10");
    }

    @Test
    void inParallelTheJanitorBlamesOnlyTheClassThatStartedAThread() {
        ParallelLeaker.bystanderStarted = new CountDownLatch(1);
        ParallelLeaker.leaked = new CountDownLatch(1);
        var kit = EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(ParallelLeaker.class),
                selectClass(ParallelBystander.class)).configurationParameter(TrialKeys.PARALLEL, "2");
        Events events;
        try {
            events = kit.execute().testEvents();
        } finally {
            ParallelLeaker.RELEASE.countDown();
        }
        events.assertThatEvents()
                .haveExactly(1, event(test("endsWhileTheOtherClassLeaks"), finishedSuccessfully()))
                .haveExactly(1, event(test("leavesAThread"), org.junit.platform.testkit.engine.EventConditions.finishedWithFailure(
                        org.junit.platform.testkit.engine.TestExecutionResultConditions.message(m -> m.contains("left-by-the-leaker")))));
    }

    @Test
    void parallelClassesEachGetTheirOwnReactor() {
        ParallelMeeting.ARRIVED = new CountDownLatch(2);
        Events events = EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(Parallel1.class), selectClass(Parallel2.class))
                .configurationParameter(TrialKeys.PARALLEL, "2").execute().testEvents();
        events.assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(Parallel1.reactorThread).isNotSameAs(Parallel2.reactorThread);
    }

    @Test
    void testsOfOneClassNeverOverlapWhenClassesRunInParallel() {
        EightInOneClass.RUNNING.set(0);
        EightInOneClass.MOST_AT_ONCE.set(0);
        Events events = EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(EightInOneClass.class))
                .configurationParameter(TrialKeys.PARALLEL, "4").configurationParameter(TrialKeys.TIMEOUT, "20")
                .execute().testEvents();
        events.assertStatistics(s -> s.succeeded(8).failed(0));
        assertThat(EightInOneClass.MOST_AT_ONCE.get()).as("tests of the class running at once").isEqualTo(1);
    }

    @Test
    void aSubclassWithTagsOfItsOwnKeepsItsSuperclassTagsAndAnInvalidTagIsAWarning() {
        var results = EngineTestKit.discover(TrialKeys.ENGINE_ID, LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(TaggedSubclass.class)).build());
        TestDescriptor quick = results.getEngineDescriptor().getDescendants().stream()
                .filter(d -> d.getDisplayName().equals("quickOne")).findFirst().orElseThrow();
        assertThat(quick.getTags()).extracting(TestTag::getName).containsExactlyInAnyOrder("sub", "network");
        assertThat(results.getDiscoveryIssues()).singleElement().satisfies(issue -> {
            assertThat(issue.severity()).isEqualTo(DiscoveryIssue.Severity.WARNING);
            assertThat(issue.message()).startsWith("invalid tag 'has space' on " + TaggedSubclass.class.getName() + ".badlyTagged");
        });
    }

    @Test
    void severalSetUpsRunSuperclassFirstThenByNameAndTearDownsInReverse() {
        SetUpOrder.ORDER.clear();
        EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(SetUpOrder.class)).execute().testEvents()
                .assertStatistics(s -> s.succeeded(1));
        assertThat(SetUpOrder.ORDER).containsExactly("setUp base", "setUp alpha", "setUp bravo", "setUp charlie", "test",
                "tearDown zulu", "tearDown yankee", "tearDown base");
    }

    @Test
    void overloadedTestsAreToldApartByTheirParameters() {
        var results = EngineTestKit.discover(TrialKeys.ENGINE_ID, LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Overloaded.class)).build());
        assertThat(results.getEngineDescriptor().getDescendants()).filteredOn(TestDescriptor::isTest)
                .extracting(TestDescriptor::getDisplayName)
                .containsExactlyInAnyOrder("check()", "check(Reactor)", "check(Reactor, TrialContext)", "unique");
    }
}
