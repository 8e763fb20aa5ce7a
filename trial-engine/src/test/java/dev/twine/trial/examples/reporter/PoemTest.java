package dev.twine.trial.examples.reporter;

import dev.twine.defer.Deferred;
import dev.twine.trial.Skip;
import dev.twine.trial.SkipTest;
import dev.twine.trial.Todo;
import dev.twine.trial.TrialTest;
import java.io.IOException;

/** Run by the reporter's tests: one test of each of trial's verdicts, and a second success and skip. */
public class PoemTest {
    @TrialTest
    void getsThePoem() {
    }

    @TrialTest
    Deferred<String> getsThePoemLater() {
        return Deferred.succeed("poem");
    }

    @TrialTest
    void countsTheLines() {
        throw new AssertionError("expected 3 lines but was 2");
    }

    @TrialTest
    void connects() throws IOException {
        throw new IOException("connection refused");
    }

    @TrialTest
    @Skip("no network here")
    void downloads() {
    }

    @TrialTest
    void uploads() {
        throw new SkipTest("no network here");
    }

    @TrialTest
    @Todo("rhymes are not parsed yet")
    void findsTheRhymes() {
        throw new AssertionError("no rhyme found");
    }

    @TrialTest
    @Todo("titles were broken")
    void readsTheTitle() {
    }
}
