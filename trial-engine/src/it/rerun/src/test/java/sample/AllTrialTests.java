package sample;

import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/** A suite, as @ReactorConformance is one: a re-run of a test inside it carries the suite's prefix in its unique id. */
@Suite
@IncludeEngines("twine-trial")
@SelectClasses(FlakyInSuite.class)
class AllTrialTests {
}
