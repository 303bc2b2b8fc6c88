package io.baton.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the worker-driver tests read of TaskManagers a JobManager started itself: the ids the REST
 * API lists, a job's written records, and the full command lines of this JVM's descendants.
 */
final class StartedWorkers {
  private StartedWorkers() {}

  /** The ids {@code GET /taskmanagers} lists. */
  static Set<String> registered(RestApi rest) {
    Set<String> ids = new TreeSet<>();
    for (JsonNode tm : rest.getOk("/taskmanagers").get("taskmanagers")) {
      ids.add(tm.get("id").asText());
    }
    return ids;
  }

  /** Records the job's vertices wrote so far. */
  static long recordsWritten(RestApi rest, String jobId) {
    long sum = 0;
    for (JsonNode vertex : rest.getOk("/jobs/" + jobId).get("vertices")) {
      sum += vertex.get("metrics").get("write-records").asLong();
    }
    return sum;
  }

  /**
   * The full command line from /proc: {@link ProcessHandle.Info#commandLine} may cut a long one
   * (the test's class path) short. Empty once the process is gone.
   */
  static String commandLine(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"))
          .replace('\0', ' ');
    } catch (IOException | RuntimeException gone) {
      return "";
    }
  }
}
