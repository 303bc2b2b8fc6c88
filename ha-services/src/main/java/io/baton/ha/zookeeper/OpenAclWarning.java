package io.baton.ha.zookeeper;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * With {@code high-availability.zookeeper.client.acl: open} anyone who reaches ZooKeeper may
 * rewrite a cluster's leader, job graphs and checkpoint pointers. On loopback that is this machine
 * only; on a quorum elsewhere it is everyone on the network, which JobManagers and TaskManagers
 * warn about at start-up (the CLI does not: its users want one line).
 */
final class OpenAclWarning {
  private OpenAclWarning() {}

  /** The warning for {@code config}, when its ACLs are open and its quorum is not on loopback. */
  static Optional<String> of(Configuration config) {
    if (config.get(HighAvailabilityOptions.ACL) != HighAvailabilityOptions.Acl.OPEN) {
      return Optional.empty();
    }
    String quorum = config.get(HighAvailabilityOptions.QUORUM).trim();
    if (quorum.equals("embedded")) {
      return Optional.empty();
    }
    List<String> remote =
        Arrays.stream(quorum.replaceFirst("/.*$", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(OpenAclWarning::host)
            .filter(h -> !loopback(h))
            .toList();
    if (remote.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "ZooKeeper quorum "
            + quorum
            + " is reachable beyond this machine ("
            + String.join(", ", remote)
            + ") and "
            + HighAvailabilityOptions.ACL.key()
            + " is open: anyone who reaches it can rewrite this cluster's leader, job graphs and"
            + " checkpoint pointers. Set "
            + HighAvailabilityOptions.ACL.key()
            + ": creator with "
            + HighAvailabilityOptions.DIGEST.key()
            + " or "
            + HighAvailabilityOptions.SASL_JAAS_FILE.key());
  }

  private static String host(String hostAndPort) {
    if (hostAndPort.startsWith("[")) {
      int end = hostAndPort.indexOf(']');
      return end > 0 ? hostAndPort.substring(1, end) : hostAndPort;
    }
    int colon = hostAndPort.lastIndexOf(':');
    // more than one colon and no brackets: a bare IPv6 address
    return colon > 0 && hostAndPort.indexOf(':') == colon
        ? hostAndPort.substring(0, colon)
        : hostAndPort;
  }

  // by name only: resolving here could block start-up on DNS
  private static boolean loopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
  }
}
