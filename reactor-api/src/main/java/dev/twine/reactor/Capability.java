package dev.twine.reactor;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * What a reactor implementation can do. A {@link ReactorProvider} declares its capabilities; the
 * conformance suite checks the required ones always and each optional one only when declared
 * (the rules of an undeclared one are reported as skipped).
 */
@API(status = STABLE, since = "0.1")
public enum Capability {
    /** Running, stopping, system events ({@link ReactorCore}). Required. */
    CORE(true, ReactorCore.class),
    /** Delayed calls ({@link ReactorTime}). Required. */
    TIME(true, ReactorTime.class),
    /** callFromThread and the thread pool ({@link ReactorThreads}). Required. */
    THREADS(true, ReactorThreads.class),
    /** TCP clients and servers over IPv4 ({@link ReactorTCP}). Required. */
    TCP(true, ReactorTCP.class),
    /** TCP over IPv6 (through {@link ReactorTCP} with IPv6 addresses). Optional. */
    IPV6(false, ReactorTCP.class),
    /** UDP ({@link ReactorUDP}). Optional. */
    UDP(false, ReactorUDP.class),
    /** Unix domain sockets ({@link ReactorUnix}). Optional. */
    UNIX(false, ReactorUnix.class),
    /** TLS ({@link ReactorTLS}, and startTLS on its TCP transports). Optional. */
    TLS(false, ReactorTLS.class),
    /** Watching user channels ({@link ReactorDescriptors}). Optional. */
    DESCRIPTORS(false, ReactorDescriptors.class);

    private final boolean required;
    private final Class<?> contract;

    Capability(boolean required, Class<?> contract) {
        this.required = required;
        this.contract = contract;
    }

    /** Whether every reactor must have it. */
    public boolean isRequired() {
        return required;
    }

    /** The interface a reactor with this capability implements. */
    public Class<?> contract() {
        return contract;
    }
}
