package dev.twine.reactor.nio;

import dev.twine.reactor.Address;
import dev.twine.reactor.CannotListenException;
import dev.twine.reactor.IPv4Address;
import dev.twine.reactor.IPv6Address;
import dev.twine.reactor.UnixAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Converting between java.net addresses and Twine's, the way Twisted prints them. */
final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Addresses() {
    }

    static Address of(SocketAddress address, String type) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            if (ip instanceof Inet6Address v6) {
                return new IPv6Address(type, text(v6), inet.getPort(), 0, v6.getScopeId());
            }
            return new IPv4Address(type, ip == null ? inet.getHostString() : ip.getHostAddress(), inet.getPort());
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            Path path = unix.getPath();
            return new UnixAddress(path.toString().isEmpty() ? null : path);
        }
        throw new IllegalArgumentException("unsupported address " + address);
    }

    /** An IPv6 address in its shortest form ({@code ::1}), with {@code %scope} when scoped. */
    static String text(Inet6Address address) {
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        if (address.getScopeId() != 0) {
            text.append('%').append(address.getScopeId());
        }
        return text.toString();
    }

    /** {@code host} as an address if it is an IP literal, else null (never a DNS lookup). */
    static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!IPV4.matcher(h).matches() && h.indexOf(':') < 0) {
            return null;
        }
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Resolves {@code host}, preferring an IPv4 address as Twisted's connectTCP does. Blocking. */
    static InetAddress resolve(String host) throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
        for (InetAddress address : all) {
            if (address instanceof Inet4Address) {
                return address;
            }
        }
        return all[0];
    }

    /**
     * The address to bind a listening TCP socket to: {@code ""} means every IPv4 interface.
     *
     * @throws CannotListenException if {@code iface} is neither an address nor a name that resolves
     */
    static InetAddress bindAddress(String iface, int port) {
        if (iface == null || iface.isEmpty()) {
            return null;
        }
        InetAddress literal = literal(iface);
        if (literal != null) {
            return literal;
        }
        try {
            return resolve(iface);
        } catch (UnknownHostException e) {
            throw new CannotListenException(iface, port, e);
        }
    }
}
