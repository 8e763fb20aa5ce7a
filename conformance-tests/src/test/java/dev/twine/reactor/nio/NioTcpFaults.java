package dev.twine.reactor.nio;

import dev.twine.conformance.broken.BrokenProvider;
import dev.twine.conformance.broken.CaughtBy;

/**
 * Broken variants of the nio reactor with a fault injected inside it, through the package-private
 * fault hooks of its output pool (false in every real reactor): the TCP write path gets one thing
 * wrong that a real implementation could.
 */
final class NioTcpFaults {
    private NioTcpFaults() {
    }

    /** Partial writes treated as complete: what the socket did not take in one write is dropped. */
    @CaughtBy(value = "TCP-68", reason = "bytes the peer received")
    public static final class PartialWriteTreatedAsComplete extends BrokenProvider {
        public PartialWriteTreatedAsComplete() {
            super("broken-nio-partial-write-treated-as-complete", () -> {
                NioReactor reactor = new NioReactor();
                reactor.outputPool.faultPartialWriteIsComplete = true;
                return reactor;
            });
        }
    }

    /**
     * A re-entrant resumeProducing loses the paused state: the transport marks its streaming
     * producer running after resumeProducing returns, even when it was paused again inside it, so
     * the producer is never resumed.
     */
    @CaughtBy(value = "TCP-79", reason = "lost its paused state")
    public static final class ResumeForgetsAPauseInsideIt extends BrokenProvider {
        public ResumeForgetsAPauseInsideIt() {
            super("broken-nio-resume-forgets-a-pause-inside-it", () -> {
                NioReactor reactor = new NioReactor();
                reactor.outputPool.faultResumeForgetsPause = true;
                return reactor;
            });
        }
    }
}
