package dev.twine.reactor.netty;

import dev.twine.conformance.ReactorConformance;
import org.junit.platform.suite.api.ConfigurationParameter;

/** The whole conformance suite against the netty reactor, through the public plug-in path only. */
@ReactorConformance
@ConfigurationParameter(key = "twine.reactor.provider", value = "netty")
class NettyReactorConformanceTest {
}
