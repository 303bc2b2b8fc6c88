package io.baton.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a multi-process cluster of the tests (Baton's {@link HaCluster}, Flink's {@link
 * FlinkHaCluster}) does with all of its JVMs at once: give them a fresh log directory, show the end
 * of every log in a failure message, and kill them all when the test is over.
 */
final class ClusterProcesses {
  private ClusterProcesses() {}

  /**
   * The log directory {@code target/ha-logs/<name>} (absolute), emptied of an earlier run's files
   * if it exists.
   */
  static Path emptiedLogDir(String name) throws IOException {
    Path logDir = Path.of("target", "ha-logs", name).toAbsolutePath();
    if (Files.isDirectory(logDir)) {
      try (Stream<Path> old = Files.list(logDir)) {
        for (Path f : old.toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
    return logDir;
  }

  /**
   * The last {@code charsPerProcess} characters of every process's log, by process name, each under
   * a line {@code ===== <label><name> =====}.
   */
  static String logsTail(Collection<JvmProcess> processes, String label, int charsPerProcess) {
    StringBuilder out = new StringBuilder();
    List<JvmProcess> all = new ArrayList<>(processes);
    all.sort(Comparator.comparing(JvmProcess::name));
    for (JvmProcess p : all) {
      try {
        String text = p.logText();
        out.append("\n===== ")
            .append(label)
            .append(p.name())
            .append(" =====\n")
            .append(text.substring(Math.max(0, text.length() - charsPerProcess)));
      } catch (IOException e) {
        out.append("\n(").append(p.name()).append(": ").append(e).append(")");
      }
    }
    return out.toString();
  }

  /**
   * SIGKILL to every process still alive (works on paused ones too), in the order given; a process
   * that cannot be killed is reported on stderr and the others are still killed.
   */
  static void killAll(Collection<JvmProcess> processes) {
    for (JvmProcess p : processes) {
      try {
        if (p.isAlive()) {
          p.kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        System.err.println("could not kill " + p.name() + ": " + e);
      }
    }
  }
}
