package io.baton.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells in a moment whether any server of a ZooKeeper connect string accepts connections, so the
 * CLI can say "no cluster answers" at once instead of retrying the connection for a minute. A
 * server that accepts is left to the ZooKeeper client, with its patience: a quorum that is up but
 * has no JobManager leader yet is waited for.
 */
final class QuorumProbe {
  private static final int DEFAULT_PORT = 2181;

  // a server on a LAN accepts in milliseconds; a black-holed one must not eat the whole budget
  private static final long MIN_MILLIS_PER_SERVER = 200;

  private final Duration budget;

  /**
   * @param budget how long asking all servers may take together
   */
  QuorumProbe(Duration budget) {
    this.budget = budget;
  }

  /** Whether some server of {@code connectString} ("host:port,host:port/chroot") accepts. */
  boolean anyServerAccepts(String connectString) {
    List<InetSocketAddress> servers = servers(connectString);
    long perServer =
        Math.max(MIN_MILLIS_PER_SERVER, budget.toMillis() / Math.max(1, servers.size()));
    for (InetSocketAddress server : servers) {
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress(server.getHostString(), server.getPort()), (int) perServer);
        return true;
      } catch (IOException | IllegalArgumentException e) {
        // refused, unreachable, unresolvable: try the next server
      }
    }
    return false;
  }

  static List<InetSocketAddress> servers(String connectString) {
    String hosts = connectString.trim();
    int chroot = hosts.indexOf('/');
    if (chroot >= 0) {
      hosts = hosts.substring(0, chroot);
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String server : hosts.split(",")) {
      String s = server.trim();
      if (s.isEmpty()) {
        continue;
      }
      int colon = s.lastIndexOf(':');
      String host = s;
      int port = DEFAULT_PORT;
      if (colon > 0 && s.indexOf(']') < colon) {
        host = s.substring(0, colon);
        try {
          port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
          continue;
        }
      }
      host =
          host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      if (port < 1 || port > 65535) {
        continue;
      }
      servers.add(InetSocketAddress.createUnresolved(host, port));
    }
    return servers;
  }
}
