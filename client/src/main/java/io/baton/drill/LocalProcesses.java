package io.baton.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Baton processes bin/ started on this host, found as bin/daemon.sh records them: {@code
 * baton-<kind>-<n>.pid} (the pid) and {@code baton-<kind>-<n>.addr} (where it serves) in the pid
 * directory. A recorded pid counts only while it is alive and runs the kind's main class.
 */
final class LocalProcesses {
  /** A process kind of bin/daemon.sh and its main class. */
  enum Kind {
    JOBMANAGER("jobmanager", "io.baton.coordinator.JobManagerEntrypoint"),
    TASKMANAGER("taskmanager", "io.baton.taskmanager.TaskManagerEntrypoint"),
    ZOOKEEPER("zookeeper", "io.baton.ha.embedded.EmbeddedZooKeeperServer");

    final String fileName;
    final String mainClass;

    Kind(String fileName, String mainClass) {
      this.fileName = fileName;
      this.mainClass = mainClass;
    }
  }

  /** One running process: its pid and the address its .addr file names. */
  record Daemon(Kind kind, int instance, long pid, String address) {}

  private final Path pidDir;

  LocalProcesses(Path pidDir) {
    this.pidDir = pidDir;
  }

  /** The live processes of {@code kind}, by instance number. */
  List<Daemon> running(Kind kind) {
    if (!Files.isDirectory(pidDir)) {
      return List.of();
    }
    Pattern name = Pattern.compile("baton-" + kind.fileName + "-([0-9]+)\\.pid");
    List<Daemon> daemons = new ArrayList<>();
    try (Stream<Path> files = Files.list(pidDir)) {
      for (Path file : files.toList()) {
        Matcher m = name.matcher(file.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        int instance = Integer.parseInt(m.group(1));
        Optional<Long> pid = firstLine(file).filter(l -> l.matches("[0-9]+")).map(Long::valueOf);
        if (pid.isPresent() && runs(pid.get(), kind)) {
          String address =
              firstLine(pidDir.resolve("baton-" + kind.fileName + "-" + instance + ".addr"))
                  .orElse("?");
          daemons.add(new Daemon(kind, instance, pid.get(), address));
        }
      }
    } catch (IOException e) {
      throw new DrillException("cannot read the pid files in " + pidDir + ": " + e.getMessage(), e);
    }
    daemons.sort(Comparator.comparingInt(Daemon::instance));
    return daemons;
  }

  /** The live JobManager whose REST API is on {@code port}. */
  Optional<Daemon> jobManagerOnRestPort(int port) {
    return running(Kind.JOBMANAGER).stream()
        .filter(d -> d.address().endsWith(":" + port))
        .findFirst();
  }

  /** Whether pid runs kind's main class (a recycled pid is not ours). */
  static boolean runs(long pid, Kind kind) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(p -> p.info().commandLine().map(c -> c.contains(kind.mainClass)).orElse(true))
        .orElse(false);
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Optional<String> firstLine(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      return Files.readAllLines(file).stream().findFirst().map(String::trim);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
