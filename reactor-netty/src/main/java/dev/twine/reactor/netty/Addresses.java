package dev.twine.reactor.netty;

import dev.twine.reactor.Address;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.UnixAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/** java.net addresses as Twine's. */
final class Addresses {
    private Addresses() {
    }

    /** {@code address} as Twine's: {@code type} ("TCP", "UDP") for an IP address; a Unix domain address has none. */
    static Address of(SocketAddress address, String type) {
        if (address instanceof UnixDomainSocketAddress unix) {
            Path path = unix.getPath();
            return new UnixAddress(path.toString().isEmpty() ? null : path); // an unnamed (client) socket has no path
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        InetAddress ip = inet.getAddress();
        if (ip instanceof Inet6Address v6) {
            return new IPv6Address(type, compact(v6), inet.getPort(), 0, v6.getScopeId());
        }
        return new IPv4Address(type, ip == null ? inet.getHostString() : ip.getHostAddress(), inet.getPort());
    }

    /**
     * An IPv6 address as RFC 5952 writes it ({@code ::1}): the longest run of two or more zero
     * groups becomes {@code ::}; a scope, when there is one, follows as {@code %n}.
     */
    static String compact(Inet6Address address) {
        byte[] raw = address.getAddress();
        StringBuilder groups = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            groups.append(i == 0 ? "" : ":").append(Integer.toHexString(((raw[i] & 0xff) << 8) | (raw[i + 1] & 0xff)));
        }
        String full = ":" + groups + ":";
        String longest = null;
        for (int run = 8; run >= 2 && longest == null; run--) {
            String zeros = ":0".repeat(run) + ":";
            if (full.contains(zeros)) {
                longest = zeros;
            }
        }
        String text = longest == null ? groups.toString() : full.replaceFirst(longest, "::");
        if (longest != null) {
            // Drop the colons added around the groups, keeping the "::" that replaced the run.
            if (text.startsWith(":") && !text.startsWith("::")) {
                text = text.substring(1);
            }
            if (text.endsWith(":") && !text.endsWith("::")) {
                text = text.substring(0, text.length() - 1);
            }
        }
        return address.getScopeId() != 0 ? text + "%" + address.getScopeId() : text;
    }

    /** {@code host} as an address if it is an IP literal, else null (no DNS lookup). */
    static InetAddress literal(String host) {
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = host.contains(":");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
