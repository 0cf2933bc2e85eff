package io.telltale.core.diagnosis;

import io.telltale.core.dns.DnsServerAddress;
import io.telltale.core.http.HostNames;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** The shell commands that repeat each step of a probe by hand, against the same resolver, address and name. */
final class RepeatCommands {
    private RepeatCommands() {
    }

    /** Returns {@code dig @R -p P NAME A} and {@code ... AAAA} for each resolver. */
    static List<String> dig(List<String> resolvers, String host) {
        List<String> out = new ArrayList<>();
        for (String r : resolvers) {
            String target = DnsServerAddress.parse(r).digTarget();
            out.add("dig " + target + " " + host + " A");
            out.add("dig " + target + " " + host + " AAAA");
        }
        return out;
    }

    /** Returns {@code nc -vz ADDR PORT}. */
    static String nc(InetAddress address, int port) {
        return "nc -vz " + address.getHostAddress() + " " + port;
    }

    /** Returns the {@code openssl s_client} line that repeats the handshake with the same SNI, name check and trust. */
    static String openssl(InetAddress address, int port, String name, String caBundle) {
        StringBuilder s = new StringBuilder("openssl s_client -connect ").append(bracketed(address)).append(':').append(port);
        if (HostNames.isIpLiteral(name)) {
            s.append(" -verify_ip ").append(name);
        } else {
            s.append(" -servername ").append(name).append(" -verify_hostname ").append(name);
        }
        if (caBundle != null) {
            s.append(" -CAfile ").append(caBundle);
        }
        return s.append(" -showcerts </dev/null").toString();
    }

    /** Returns the {@code curl} line that sends the same request to the same address. */
    static String curl(ProbeTarget target, String name, InetAddress address, String caBundle) {
        StringBuilder s = new StringBuilder("curl -v");
        if (!HostNames.isIpLiteral(name)) {
            s.append(" --resolve ").append(name).append(':').append(target.port()).append(':').append(bracketed(address));
        }
        if (caBundle != null && target.tls()) {
            s.append(" --cacert ").append(caBundle);
        }
        return s.append(" '").append(target.urlFor(name)).append('\'').toString();
    }

    private static String bracketed(InetAddress address) {
        String ip = address.getHostAddress();
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }
}
