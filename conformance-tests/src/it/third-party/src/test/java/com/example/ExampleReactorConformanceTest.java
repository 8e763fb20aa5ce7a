package com.example;

import dev.twine.conformance.ReactorConformance;
import org.junit.platform.suite.api.ConfigurationParameter;

/** The one class that runs the whole conformance suite against the example reactor. */
@ReactorConformance
@ConfigurationParameter(key = "twine.reactor.provider", value = "example")
class ExampleReactorConformanceTest {
}
