package io.baton.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP ports a local process listens on, from Linux's /proc (its socket inodes matched against
 * /proc/net/tcp and tcp6): that is how the drill tells which TaskManager process is which entry of
 * GET /taskmanagers (whose "path" is the TaskManager's RPC host:port). Empty where /proc is not
 * there.
 */
final class TaskManagerPorts {
  private static final String LISTEN = "0A";

  private TaskManagerPorts() {}

  static Set<Integer> listeningPorts(long pid) {
    Set<String> inodes = socketInodes(pid);
    Set<Integer> ports = new HashSet<>();
    if (inodes.isEmpty()) {
      return ports;
    }
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
          if (f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9])) {
            String local = f[1];
            ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
          }
        }
      } catch (IOException | RuntimeException e) {
        // no such table (no IPv6, not Linux): nothing listens there as far as we can tell
      }
    }
    return ports;
  }

  private static Set<String> socketInodes(long pid) {
    Set<String> inodes = new HashSet<>();
    Path fds = Path.of("/proc", Long.toString(pid), "fd");
    try (Stream<Path> links = Files.list(fds)) {
      for (Path link : links.toList()) {
        try {
          String target = Files.readSymbolicLink(link).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      // not Linux, or the process is gone
    }
    return inodes;
  }
}
