package dev.twine.protocol;

/** The host name could not be resolved (Twisted's {@code DNSLookupError}). */
public class DnsLookupException extends ConnectionFailedException {
    /** For {@code host}. */
    public DnsLookupException(String host, Throwable cause) {
        super("DNS lookup failed: address '" + host + "' not found.", cause);
    }
}
