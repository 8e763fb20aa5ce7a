package dev.twine.sim;

import dev.twine.conformance.ReactorConformance;
import org.junit.platform.suite.api.ConfigurationParameter;

/**
 * The whole conformance suite against the {@code sim} provider, through the public plug-in path.
 * The rules that need no real socket (core, time, threads) run; those that talk to real sockets
 * (TCP, UDP and the rest, and the core rules that open connections) are not applicable to a
 * simulated network, and are reported so.
 */
@ReactorConformance
@ConfigurationParameter(key = "twine.reactor.provider", value = "sim")
@ConfigurationParameter(key = "twine.conformance.notApplicable", value = "TCP,IPV6,UDP,UNIX,TLS,DESCRIPTORS: simulated network")
class SimReactorConformanceTest {
}
