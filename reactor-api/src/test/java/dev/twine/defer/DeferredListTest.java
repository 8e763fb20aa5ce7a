package dev.twine.defer;

import static dev.twine.defer.DeferredTesting.assertNoResult;
import static dev.twine.defer.DeferredTesting.failureResultOf;
import static dev.twine.defer.DeferredTesting.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twine.defer.DeferredList.Option;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** DeferredList and gatherResults: DEF-20 to DEF-24. */
class DeferredListTest {

    @Test
    @DisplayName("DEF-20 a DeferredList fires, once all are done, with (success, result) pairs in input order")
    void resultsInInputOrder() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        Deferred<String> c = new Deferred<>();
        Deferred<List<Outcome<String>>> list = DeferredList.of(List.of(a, b, c), Option.CONSUME_ERRORS);
        c.callback("third");
        IOException error = new IOException("second failed");
        b.errback(error);
        assertNoResult(list);

        a.callback("first");

        List<Outcome<String>> outcomes = successResultOf(list);
        assertThat(outcomes).extracting(Outcome::succeeded).containsExactly(true, false, true);
        assertThat(outcomes.get(0).value()).isEqualTo("first");
        assertThat(outcomes.get(1).failure().value()).isSameAs(error);
        assertThat(outcomes.get(2).value()).isEqualTo("third");
        assertThat(outcomes.get(0)).hasToString("(true, first)");
    }

    @Test
    @DisplayName("DEF-20 already-fired members are counted at once; an empty list fires [] at once")
    void firedMembersAndEmptyList() {
        Deferred<List<Outcome<Integer>>> list = DeferredList.of(List.of(Deferred.succeed(1), Deferred.succeed(2)));
        assertThat(successResultOf(list)).extracting(Outcome::value).containsExactly(1, 2);
        assertThat(successResultOf(DeferredList.<String>of(List.of()))).isEmpty();
    }

    @Test
    @DisplayName("DEF-21 firstOf (fireOnOneCallback) fires with the first success and its index; an empty list never fires")
    void firstSuccessAndIndex() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        Deferred<IndexedResult<String>> first = DeferredList.firstOf(List.of(a, b), Option.CONSUME_ERRORS);
        a.errback(new IOException("a failed"));
        assertNoResult(first);
        b.callback("b won");
        IndexedResult<String> result = successResultOf(first);
        assertThat(result.result()).isEqualTo("b won");
        assertThat(result.index()).isEqualTo(1);

        assertNoResult(DeferredList.firstOf(List.<Deferred<String>>of()));
    }

    @Test
    @DisplayName("DEF-21 fireOnOneErrback fails at the first failure with FirstErrorException carrying the sub-failure and index")
    void fireOnOneErrback() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        Deferred<List<Outcome<String>>> list = DeferredList.of(List.of(a, b), Option.FIRE_ON_ONE_ERRBACK, Option.CONSUME_ERRORS);
        IOException error = new IOException("b broke");
        b.errback(error);

        Failure failure = failureResultOf(list);
        FirstErrorException first = (FirstErrorException) failure.value();
        assertThat(first.index()).isEqualTo(1);
        assertThat(first.subFailure().value()).isSameAs(error);
        assertThat(first).hasMessage("FirstError[#1, [Failure instance: java.io.IOException: b broke]]");
        a.callback("too late, ignored");
    }

    @Test
    void firstOfWhenAllFailKeepsEveryFailure() {
        Deferred<String> a = Deferred.fail(new IOException("a"));
        Deferred<String> b = Deferred.fail(new IOException("b"));
        Failure failure = failureResultOf(DeferredList.firstOf(List.of(a, b), Option.CONSUME_ERRORS));
        AllFailedException all = (AllFailedException) failure.value();
        assertThat(all.outcomes()).extracting(o -> o.failure().getErrorMessage()).containsExactly("a", "b");
    }

    @Test
    @DisplayName("DEF-22 without consumeErrors a failed member keeps its Failure; with it, the member is left holding null")
    void consumeErrors() {
        Deferred<String> kept = new Deferred<>();
        DeferredList.of(List.of(kept));
        kept.errback(new IOException("still here"));
        assertThat(failureResultOf(kept).getErrorMessage()).isEqualTo("still here");

        Deferred<String> consumed = new Deferred<>();
        DeferredList.of(List.of(consumed), Option.CONSUME_ERRORS);
        consumed.errback(new IOException("consumed"));
        assertThat(successResultOf(consumed)).isNull();
    }

    @Test
    @DisplayName("DEF-23 cancelling an unfired DeferredList cancels every member; a fired one ignores cancel")
    void cancelCancelsMembers() {
        Deferred<String> a = new Deferred<>();
        Deferred<String> b = new Deferred<>();
        Deferred<List<Outcome<String>>> list = DeferredList.of(List.of(a, b), Option.CONSUME_ERRORS);
        list.cancel();
        List<Outcome<String>> outcomes = successResultOf(list);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure().value()).isInstanceOf(CancelledException.class));

        boolean[] cancelled = {false};
        Deferred<String> member = new Deferred<>(self -> cancelled[0] = true);
        Deferred<List<Outcome<String>>> fired = DeferredList.of(List.of(member));
        member.callback("done");
        fired.cancel();
        assertThat(cancelled[0]).isFalse();
        assertThat(successResultOf(fired)).hasSize(1);
    }

    @Test
    @DisplayName("DEF-24 gatherResults gives the plain values, or FirstErrorException at the first failure")
    void gatherResults() {
        Deferred<Integer> a = new Deferred<>();
        Deferred<Integer> b = new Deferred<>();
        Deferred<List<Integer>> gathered = DeferredList.gatherResults(List.of(a, b));
        b.callback(2);
        a.callback(1);
        assertThat(successResultOf(gathered)).containsExactly(1, 2);

        Deferred<Integer> ok = new Deferred<>();
        Deferred<Integer> bad = new Deferred<>();
        Deferred<List<Integer>> failing = DeferredList.gatherResults(List.of(ok, bad), true);
        bad.errback(new IOException("bad"));
        FirstErrorException error = (FirstErrorException) failureResultOf(failing).value();
        assertThat(error.index()).isEqualTo(1);
        assertThat(successResultOf(bad)).as("consumed").isNull();
    }

    @Test
    @DisplayName("DEF-24 cancelling gatherResults cancels its members")
    void cancelGatherResults() {
        Deferred<Integer> a = new Deferred<>();
        Deferred<List<Integer>> gathered = DeferredList.gatherResults(List.of(a), true);
        gathered.cancel();
        assertThat(failureResultOf(gathered).value()).isInstanceOf(FirstErrorException.class)
                .hasCauseInstanceOf(CancelledException.class);
    }
}
