package dev.twine.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.twine.trial.examples.Basics;
import dev.twine.trial.examples.BlocksTheReactor;
import dev.twine.trial.examples.CancelsTheRun;
import dev.twine.trial.examples.ClassTimeout;
import dev.twine.trial.examples.Dirty;
import dev.twine.trial.examples.FiresOnAnotherThread;
import dev.twine.trial.examples.ForcedGc;
import dev.twine.trial.examples.InheritsClassTimeout;
import dev.twine.trial.examples.Labelled;
import dev.twine.trial.examples.LeavesALossyDescriptor;
import dev.twine.trial.examples.LeavesAVirtualThread;
import dev.twine.trial.examples.Lifecycle;
import dev.twine.trial.examples.LongestTimeout;
import dev.twine.trial.examples.Logged;
import dev.twine.trial.examples.NeedsUdp;
import dev.twine.trial.examples.NoTimeoutDeclared;
import dev.twine.trial.examples.ReadsItsContext;
import dev.twine.trial.examples.SetUpFails;
import dev.twine.trial.examples.StopsTheReactor;
import dev.twine.trial.examples.SkipsAndTodos;
import dev.twine.trial.examples.TearDownFailsToo;
import dev.twine.trial.examples.TimesOut;
import dev.twine.trial.examples.TodosAndLeftovers;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.platform.engine.CancellationToken;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.MultipleFailuresError;

class TrialEngineExecutionTest {

    static EngineExecutionResults run(DiscoverySelector selector, String... keyValues) {
        EngineTestKit.Builder kit = EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selector);
        for (int i = 0; i < keyValues.length; i += 2) {
            kit = kit.configurationParameter(keyValues[i], keyValues[i + 1]);
        }
        return kit.execute();
    }

    static Events tests(Class<?> type, String... keyValues) {
        return run(selectClass(type), keyValues).testEvents();
    }

    @Test
    void testsRunOnTheReactorThreadAndDeferredsAreWaitedFor() {
        Events events = tests(Basics.class);
        events.assertThatEvents()
                .haveExactly(1, event(test("passesSynchronously"), finishedSuccessfully()))
                .haveExactly(1, event(test("passesWhenTheDeferredFires"), finishedSuccessfully()))
                .haveExactly(1, event(test("passesWhenTheStageCompletes"), finishedSuccessfully()))
                .haveExactly(1, event(test("failsAnAssertion"), finishedWithFailure(instanceOf(AssertionError.class))))
                .haveExactly(1, event(test("throwsSynchronously"), finishedWithFailure(instanceOf(IOException.class),
                        message("thrown at once"))))
                .haveExactly(1, event(test("returnsNull"), finishedWithFailure(instanceOf(IllegalStateException.class),
                        message(m -> m.contains("returned null")))))
                .haveExactly(1, event(test("failsAsynchronously"), finishedWithFailure(instanceOf(IllegalStateException.class),
                        message("failed later"))))
                .haveExactly(1, event(test("firesTwice"), finishedWithFailure(instanceOf(LoggedErrorsError.class),
                        message(m -> m.contains("AlreadyCalledException")))));
        assertThat(Basics.lastTestThread.getName()).isEqualTo("twine-trial-Basics");
    }

    @Test
    void todoCoversOnlyTheTestMethodsOwnFailure() {
        Events events = tests(TodosAndLeftovers.class);
        events.assertThatEvents()
                .haveExactly(1, event(test("passesButLeavesACall"), finishedWithFailure(instanceOf(MultipleErrors.class),
                        message(m -> m.startsWith("2 problems:")
                                && m.contains("dev.twine.trial.UnexpectedSuccess: Unexpected success: TodosAndLeftovers.passesButLeavesACall")
                                && m.contains("dev.twine.trial.DirtyReactorError: Reactor was unclean")))))
                .haveExactly(1, event(test("failsAsExpectedButLeavesACall"), finishedWithFailure(
                        instanceOf(DirtyReactorError.class))));
    }

    @Test
    void trialsErrorsAreErrorsNotFailedAssertions() {
        assertThat(List.of(DirtyReactorError.class, TrialTimeoutError.class, LoggedErrorsError.class))
                .noneMatch(AssertionError.class::isAssignableFrom);
        Events events = tests(TodosAndLeftovers.class);
        MultipleErrors both = (MultipleErrors) events.failed().stream()
                .map(e -> e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow())
                .filter(MultipleErrors.class::isInstance).findFirst().orElseThrow();
        assertThat(both.errors()).extracting(e -> (Class) e.getClass()).containsExactly(DirtyReactorError.class, UnexpectedSuccess.class);
        assertThat(both.getSuppressed()).hasSize(2);
    }

    @Test
    void aCallScheduledWhenTheJanitorClosesALeftoverIsCancelledNotBlamedOnTheNextTest() {
        tests(LeavesALossyDescriptor.class).assertThatEvents()
                .haveExactly(1, event(test("aLeavesADescriptor"), finishedWithFailure(instanceOf(DirtyReactorError.class),
                        message(m -> m.contains("lossy-descriptor") && !m.contains("Delayed calls")))))
                .haveExactly(1, event(test("bComesNext"), finishedSuccessfully()));
    }

    @Test
    void theReactorsOwnTimersAreNotChargedToTheFirstTest() {
        Events events = tests(Basics.class, TrialKeys.REACTOR_PROVIDER, HousekeepingProvider.class.getName());
        events.assertThatEvents().haveExactly(1, event(test("passesSynchronously"), finishedSuccessfully()));
        assertThat(events.failed().stream().map(e -> e.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow()).toList()).as("failures of the Basics tests").noneMatch(DirtyReactorError.class::isInstance);
    }

    @Test
    void forceGcCollectsGarbageAfterEachTest() {
        tests(ForcedGc.class, TrialKeys.FORCE_GC, "true").assertStatistics(s -> s.succeeded(2).failed(0));
    }

    @Test
    void cleanupsAddedByACleanupOrATearDownRunToo() {
        TodosAndLeftovers.RAN.clear();
        run(selectMethod(TodosAndLeftovers.class, "cleanupsAddedByCleanupsAndTearDownsRun", TrialContext.class.getName()))
                .testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(TodosAndLeftovers.RAN).containsExactly("first cleanup", "cleanup added by a cleanup",
                "cleanup added by a tear-down");
    }

    @Test
    void theLargestTimeoutsDoNotOverflowIntoTimingOutAtOnce() {
        tests(LongestTimeout.class).assertStatistics(s -> s.succeeded(2).failed(0));
    }

    @Test
    void aLabelerNamesTheTestsAndWordsOnlyTheirFailures() {
        Events events = tests(Labelled.class);
        assertThat(events.started().map(e -> e.getTestDescriptor().getDisplayName()).toList()).containsExactlyInAnyOrder(
                "ID-passes says what it checks", "ID-failsLater says what it checks",
                "ID-throwsAnError says what it checks", "ID-skips says what it checks", "keepsItsName");
        events.assertThatEvents()
                .haveExactly(1, event(test("passes"), finishedSuccessfully()))
                .haveExactly(1, event(test("keepsItsName"), finishedSuccessfully()))
                .haveExactly(1, event(test("failsLater"), finishedWithFailure(instanceOf(AssertionError.class),
                        message("ID-failsLater: the reactor did something else"))))
                .haveExactly(1, event(test("throwsAnError"), finishedWithFailure(instanceOf(IllegalStateException.class),
                        message("not an assertion"))))
                .haveExactly(1, event(test("skips"), abortedWithReason(message("not here"))));
    }

    @Test
    void aLabelerThatCannotBeMadeIsReportedAndItsClassesTestsErrorWithTheReason() {
        var discovered = EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(Labelled.BadLabeler.class)).discover();
        assertThat(discovered.getDiscoveryIssues()).singleElement().satisfies(issue -> assertThat(issue.message())
                .contains("@LabelTestsWith(" + Labelled.Unmakeable.class.getName()).contains(Labelled.BadLabeler.class.getName()));
        tests(Labelled.BadLabeler.class).assertThatEvents().haveExactly(1, event(test("neverRuns"),
                finishedWithFailure(instanceOf(TestDeclarationError.class), message(m -> m.contains("the labeler cannot be created")))));
    }

    @Test
    void aTestTheEngineCannotRunErrorsWithTheReasonAndTheRestRun() {
        Events events = run(selectClass(dev.twine.trial.examples.BadDeclarations.class)).testEvents();
        events.assertThatEvents()
                .haveExactly(1, event(test("fine"), finishedSuccessfully()))
                .haveExactly(1, event(test("privateTest"), finishedWithFailure(instanceOf(TestDeclarationError.class),
                        message(m -> m.endsWith("privateTest must not be private; the test cannot run as declared")))))
                .haveExactly(1, event(test("zeroTimeout"), finishedWithFailure(instanceOf(TestDeclarationError.class),
                        message(m -> m.contains("must be positive")))));
        events.assertStatistics(s -> s.succeeded(1).failed(6));
    }

    @Test
    void aTimeoutCancelsTheDeferredNamesTheTestAndTheNextTestRuns() {
        TimesOut.cancelled = false;
        Events events = tests(TimesOut.class);
        events.assertThatEvents()
                .haveExactly(1, event(test("neverFires"), finishedWithFailure(instanceOf(TrialTimeoutError.class),
                        message(m -> m.startsWith("TimesOut.neverFires timed out after 0.2 s in the test, waiting for <Deferred@")
                                && m.endsWith("it was cancelled")))))
                .haveExactly(1, event(test("nextTestRunsCleanly"), finishedSuccessfully()));
        assertThat(TimesOut.cancelled).isTrue();
    }

    @Test
    void aClassTimeoutAppliesToItsMethodsAndTheGlobalOneToTheRest() {
        tests(ClassTimeout.class).assertThatEvents().haveExactly(1, event(test("waitsForever"), finishedWithFailure(
                instanceOf(TrialTimeoutError.class), message(m -> m.startsWith("ClassTimeout.waitsForever timed out after 0.3 s")))));
        tests(InheritsClassTimeout.class).assertThatEvents().haveExactly(1, event(test("waitsForever"), finishedWithFailure(
                message(m -> m.startsWith("InheritsClassTimeout.waitsForever timed out after 0.3 s")))));
        tests(NoTimeoutDeclared.class, TrialKeys.TIMEOUT, "0.25").assertThatEvents().haveExactly(1, event(test("waitsForever"),
                finishedWithFailure(message(m -> m.startsWith("NoTimeoutDeclared.waitsForever timed out after 0.25 s")))));
    }

    @Test
    void cancellingTheRunSkipsWhatHasNotStarted() {
        CancelsTheRun.RAN.clear();
        CancellationToken token = CancellationToken.create();
        CancelsTheRun.token = token;
        Events events = EngineTestKit.engine(TrialKeys.ENGINE_ID).selectors(selectClass(CancelsTheRun.class))
                .cancellationToken(token).execute().testEvents();
        assertThat(CancelsTheRun.RAN).containsExactly("a");
        events.assertThatEvents()
                .haveExactly(1, event(test("aFailsAndCancels"), finishedWithFailure(message("first failure"))))
                .haveExactly(1, event(test("bNeverRuns"), skippedWithReason(r -> r.contains("cancel"))))
                .haveExactly(1, event(test("cNeverRuns"), skippedWithReason(r -> r.contains("cancel"))));
    }

    @Test
    void setUpThenTestThenCleanupsLastFirstThenTearDownsSubclassFirst() {
        Lifecycle.EVENTS.clear();
        Events events = tests(Lifecycle.class);
        assertThat(Lifecycle.EVENTS).containsExactly("base setUp", "subclass setUp (after waiting)",
                "test on twine-trial-Lifecycle", "cleanup 3 fails", "cleanup 2 (after waiting)", "cleanup 1",
                "subclass tearDown", "base tearDown");
        events.assertThatEvents().haveExactly(1, event(test("test"), finishedWithFailure(instanceOf(IllegalStateException.class),
                message("cleanup failed"))));
    }

    @Test
    void aFailedSetUpSkipsTheTestAndTearDownButRunsCleanups() {
        SetUpFails.EVENTS.clear();
        tests(SetUpFails.class).assertThatEvents().haveExactly(1,
                event(test("test"), finishedWithFailure(instanceOf(IllegalStateException.class), message("set-up failed"))));
        assertThat(SetUpFails.EVENTS).containsExactly("cleanup");
    }

    @Test
    void aTearDownThatFailsAfterTheTestFailedReportsBoth() {
        tests(TearDownFailsToo.class).assertThatEvents().haveExactly(1, event(test("fails"),
                finishedWithFailure(instanceOf(MultipleErrors.class),
                        message(m -> m.contains("the test's own failure") && m.contains("the tear-down's failure")))));
    }

    @Test
    void theJanitorReportsEachKindOfLeftoverAndCleansUp() {
        Events events = tests(Dirty.class);
        Dirty.RELEASE.countDown();
        events.assertThatEvents()
                .haveExactly(1, event(test("leavesADelayedCall"), finishedWithFailure(instanceOf(DirtyReactorError.class),
                        message(m -> m.contains("Delayed calls still pending") && m.contains("[99.00s]")))))
                .haveExactly(1, event(test("leavesAPortOpen"), finishedWithFailure(instanceOf(DirtyReactorError.class),
                        message(m -> m.contains("Ports and connections still open") && m.contains("127.0.0.1")))))
                .haveExactly(1, event(test("leavesAThreadRunning"), finishedWithFailure(instanceOf(DirtyReactorError.class),
                        message(m -> m.contains("\"left-behind-worker\"")))))
                .haveExactly(1, event(test("zzzRunsOnACleanReactor"), finishedSuccessfully()));
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void theJanitorReportsAVirtualThreadTheTestLeftRunning() {
        Events events = tests(LeavesAVirtualThread.class);
        LeavesAVirtualThread.RELEASE.countDown();
        events.assertThatEvents()
                .haveExactly(1, event(test("leavesAVirtualThread"), finishedWithFailure(instanceOf(DirtyReactorError.class),
                        message(m -> m.contains("\"left-virtual\" (virtual thread #") && m.contains(": left running")))))
                .haveExactly(1, event(test("zzzWaitsForAVirtualThreadThatEnds"), finishedSuccessfully()));
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void beforeJdk21ThereAreNoVirtualThreadsToLookFor() {
        tests(LeavesAVirtualThread.class).assertThatEvents().haveExactly(1, event(test("leavesAVirtualThread"),
                abortedWithReason(message("virtual threads need JDK 21 or later"))));
    }

    @Test
    void uncleanWarningsReportLeftoversWithoutFailing() {
        EngineExecutionResults results = run(selectMethod(Dirty.class, "leavesADelayedCall", "dev.twine.reactor.Reactor"),
                TrialKeys.UNCLEAN_WARNINGS, "true");
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(results.allEvents().reportingEntryPublished().stream())
                .anySatisfy(e -> assertThat(e.getPayload().toString()).contains("Delayed calls still pending"));
    }

    @Test
    void loggedErrorsFailTheTestUnlessFlushed() {
        Events events = tests(Logged.class);
        events.assertThatEvents()
                .haveExactly(1, event(test("logsAnError"), finishedWithFailure(instanceOf(LoggedErrorsError.class),
                        message(m -> m.contains("Something went wrong:") && m.contains("logged and not flushed")))))
                .haveExactly(1, event(test("flushesWhatItExpects"), finishedSuccessfully()))
                .haveExactly(1, event(test("leavesAFailureUnhandled"), finishedWithFailure(instanceOf(LoggedErrorsError.class),
                        message(m -> m.contains("Unhandled error in Deferred:") && m.contains("nobody handled me")))))
                .haveExactly(1, event(test("aDelayedCallThrows"), finishedWithFailure(instanceOf(LoggedErrorsError.class),
                        message(m -> m.contains("thrown in a delayed call")))));
        assertThat(Logged.flushed).singleElement().satisfies(f -> assertThat(f.getErrorMessage()).isEqualTo("expected"));
    }

    @Test
    void skipsTodosAndUnexpectedSuccesses() {
        Events events = tests(SkipsAndTodos.class);
        events.assertThatEvents()
                .haveExactly(1, event(test("skipped"), skippedWithReason("not on this platform")))
                .haveExactly(1, event(test("skipsItself"), abortedWithReason(message("the fixture is not available"))))
                .haveExactly(1, event(test("expectedToFail"), abortedWithReason(instanceOf(ExpectedFailure.class),
                        message(m -> m.startsWith("TODO: the parser does not handle this yet")))))
                .haveExactly(1, event(test("passesUnexpectedly"), finishedWithFailure(instanceOf(UnexpectedSuccess.class),
                        message(m -> m.startsWith("Unexpected success: SkipsAndTodos.passesUnexpectedly")))))
                .haveExactly(1, event(test("failsTheWrongWay"), finishedWithFailure(instanceOf(IllegalStateException.class))));
    }

    @Test
    void aCapabilityTheReactorLacksSkipsTheTest() {
        NeedsUdp.ran = null;
        // Named, not left to the run's choice: this build also runs these tests on netty, which has no UDP.
        tests(NeedsUdp.class, TrialKeys.REACTOR_PROVIDER, "nio").assertThatEvents()
                .haveExactly(1, event(test("usesUdp"), finishedSuccessfully()));
        assertThat(NeedsUdp.ran).isEqualTo("NeedsUdp.usesUdp with NioReactor");

        tests(NeedsUdp.class, TrialKeys.REACTOR_PROVIDER, CoreOnlyProvider.class.getName()).assertThatEvents()
                .haveExactly(1, event(test("usesUdp"), abortedWithReason(message(m -> m.contains("does not provide ReactorUDP")))));
    }

    @Test
    void theContextGivesTheProviderAndTheRunsParameters() {
        ReadsItsContext.seen = null;
        EngineExecutionResults results = run(selectClass(ReadsItsContext.class), "example.setting", "42",
                TrialKeys.REACTOR_PROVIDER, "nio");
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(results.allEvents().reportingEntryPublished().stream())
                .anySatisfy(e -> assertThat(e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow()
                        .getKeyValuePairs()).containsEntry("example.entry", "published"));
        assertThat(ReadsItsContext.seen).isEqualTo("ReadsItsContext.readsProviderAndParameter readsProviderAndParameter nio true 42 unset");
    }

    @Test
    void anUnknownProviderFailsTheClassWithAClearMessage() {
        EngineExecutionResults results = run(selectClass(Basics.class), TrialKeys.REACTOR_PROVIDER, "no-such-reactor");
        results.containerEvents().assertThatEvents().haveExactly(1,
                event(finishedWithFailure(message(m -> m.contains("No ReactorProvider is called 'no-such-reactor'")))));
    }

    @Test
    void aTestThatBlocksTheReactorThreadIsReportedAndTheRestOfTheClassIsSkipped() {
        Events events = tests(BlocksTheReactor.class);
        BlocksTheReactor.RELEASE.countDown();
        events.assertThatEvents()
                .haveExactly(1, event(test("blocks"), finishedWithFailure(instanceOf(TrialTimeoutError.class),
                        message(m -> m.contains("blocked the reactor thread")))))
                .haveExactly(1, event(test("zzAfterTheBlockedOne"), abortedWithReason(message(m -> m.contains("is blocked by")))));
        assertThat(BlocksTheReactor.reactorThread).as("the blocked class's reactor thread, interrupted and stopped")
                .satisfies(thread -> assertThat(joined(thread)).isTrue());
        assertThat(BlocksTheReactor.cleanupRan).as("a cleanup of the test that was given up on").isFalse();
    }

    private static boolean joined(Thread thread) {
        try {
            thread.join(java.time.Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Test
    void aTestThatStopsTheReactorErrorsAtOnceAndTheRestOfTheClassIsNotRun() {
        tests(StopsTheReactor.class).assertThatEvents()
                .haveExactly(1, event(test("stopsIt"), finishedWithFailure(instanceOf(ReactorStoppedError.class),
                        message(m -> m.startsWith("StopsTheReactor.stopsIt stopped the reactor (in the test)")))))
                .haveExactly(1, event(test("zzAfterTheStop"), abortedWithReason(
                        message("not run: StopsTheReactor.stopsIt stopped the reactor of StopsTheReactor"))));
    }

    @Test
    void aDeferredFiredOnAnotherThreadIsAnErrorAndWhatFollowsRunsOnTheReactorThread() {
        tests(FiresOnAnotherThread.class).assertThatEvents().haveExactly(1, event(test("firedElsewhere"),
                finishedWithFailure(instanceOf(ReactorThreadError.class), message(m -> m.contains("fired on thread \"some-library-callback\"")))));
        assertThat(FiresOnAnotherThread.cleanupThread).isEqualTo("twine-trial-FiresOnAnotherThread");
    }

    @Test
    void anInvalidConfigurationValueIsReported() {
        var discovery = EngineTestKit.discover(TrialKeys.ENGINE_ID, org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder
                .request().selectors(selectClass(Basics.class)).configurationParameter(TrialKeys.TIMEOUT, "soon").build());
        assertThat(discovery.getDiscoveryIssues()).anySatisfy(issue ->
                assertThat(issue.message()).contains("twine.trial.timeout must be a positive number of seconds, got 'soon'"));
    }

    @Test
    void aBooleanThatIsNeitherTrueNorFalseIsReportedNotReadAsFalse() {
        var discovery = EngineTestKit.discover(TrialKeys.ENGINE_ID, org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder
                .request().selectors(selectClass(Basics.class)).configurationParameter(TrialKeys.UNCLEAN_WARNINGS, "yes").build());
        assertThat(discovery.getDiscoveryIssues()).anySatisfy(issue ->
                assertThat(issue.message()).contains("twine.trial.uncleanWarnings must be true or false, got 'yes'"));
    }

    static List<String> names(Events events) {
        return events.started().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
    }
}
