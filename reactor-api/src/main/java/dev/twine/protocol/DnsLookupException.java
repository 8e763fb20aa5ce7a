package dev.twine.protocol;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** The host name could not be resolved (Twisted's {@code DNSLookupError}). */
@API(status = STABLE, since = "0.1")
public class DnsLookupException extends ConnectionFailedException {
    /** For {@code host}. */
    public DnsLookupException(String host, Throwable cause) {
        super("DNS lookup failed: address '" + host + "' not found.", cause);
    }
}
