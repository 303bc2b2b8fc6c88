package io.baton.coordinator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.baton.common.execution.ExecutionState;
import io.baton.coordinator.blob.BlobStore.StoredJar;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.failover.FailureCauses;
import io.baton.coordinator.status.ClusterOverview;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobEvent;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.SubtaskDetails;
import io.baton.coordinator.status.TaskManagerDetails;
import io.baton.coordinator.status.VertexDetails;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON bodies of the REST API, with the field names Flink's REST API uses. */
final class ResponseBodies {
  private ResponseBodies() {}

  /** Flink's task states in the order its REST API lists them. */
  private static final List<String> FLINK_TASK_STATES =
      List.of(
          "CREATED",
          "SCHEDULED",
          "DEPLOYING",
          "RUNNING",
          "FINISHED",
          "CANCELING",
          "CANCELED",
          "FAILED",
          "RECONCILING",
          "INITIALIZING");

  /** The Flink release whose REST API shapes Baton answers in. */
  static final String FLINK_API_VERSION = "1.20.1";

  /** {@code {"errors": [...]}}: every error answer. */
  record Errors(List<String> errors) {}

  record Overview(
      @JsonProperty("taskmanagers") int taskManagers,
      @JsonProperty("slots-total") int slotsTotal,
      @JsonProperty("slots-available") int slotsAvailable,
      @JsonProperty("jobs-running") int jobsRunning,
      @JsonProperty("jobs-finished") int jobsFinished,
      @JsonProperty("jobs-cancelled") int jobsCancelled,
      @JsonProperty("jobs-failed") int jobsFailed,
      @JsonProperty("flink-version") String flinkVersion,
      @JsonProperty("flink-commit") String flinkCommit,
      @JsonProperty("baton-version") String version) {

    static Overview of(ClusterOverview o, String version) {
      return new Overview(
          o.taskManagers(),
          o.slotsTotal(),
          o.slotsAvailable(),
          o.jobsRunning(),
          o.jobsFinished(),
          o.jobsCancelled(),
          o.jobsFailed(),
          FLINK_API_VERSION,
          "baton-" + version,
          version);
    }
  }

  record JobsOverview(List<JobSummary> jobs) {}

  /** One job in {@code GET /jobs/overview}; task counts with lower-case keys, as Flink. */
  record JobSummary(
      String jid,
      String name,
      String state,
      @JsonProperty("start-time") long startTime,
      @JsonProperty("end-time") long endTime,
      long duration,
      @JsonProperty("last-modification") long lastModification,
      Map<String, Integer> tasks) {

    static JobSummary of(JobDetails job) {
      Map<String, Integer> tasks = new LinkedHashMap<>();
      tasks.put("total", job.taskCounts().values().stream().mapToInt(Integer::intValue).sum());
      countsByState(job.taskCounts())
          .forEach((state, n) -> tasks.put(state.toLowerCase(Locale.ROOT), n));
      return new JobSummary(
          job.id().value(),
          job.name(),
          job.status().name(),
          job.startTime(),
          job.endTime(),
          job.duration(),
          job.lastModification(),
          tasks);
    }
  }

  record JobList(List<JobIdAndStatus> jobs) {}

  record JobIdAndStatus(String id, String status) {}

  /** {@code GET /jobs/{id}}; task counts with upper-case keys, as Flink. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Job(
      String jid,
      String name,
      // Flink's: Baton stops a job with a savepoint (POST /jobs/{id}/stop)
      boolean isStoppable,
      @JsonProperty("job-type") String jobType,
      String state,
      @JsonProperty("start-time") long startTime,
      @JsonProperty("end-time") long endTime,
      long duration,
      long now,
      @JsonProperty("last-modification") long lastModification,
      int maxParallelism,
      Map<String, Long> timestamps,
      Map<String, Object> plan,
      @JsonProperty("pending-operators") int pendingOperators,
      int restarts,
      List<FlinkJobBodies.Vertex> vertices,
      @JsonProperty("status-counts") Map<String, Integer> statusCounts,
      @JsonProperty("failure-cause") String failureCause,
      @JsonProperty("restored-checkpoint") RestoredCheckpoint restoredCheckpoint,
      int recoveries,
      // null is part of the contract: written even when there was no recovery
      @JsonInclude(JsonInclude.Include.ALWAYS) RestoredFrom restoredFrom,
      int reconciliations,
      List<Event> events) {

    static Job of(JobDetails job, long now) {
      return of(job, now, null);
    }

    /**
     * @param restored the checkpoint or savepoint the job's current attempt started from; null
     */
    static Job of(JobDetails job, long now, CheckpointStats.Restored restored) {
      return new Job(
          job.id().value(),
          job.name(),
          job.status() == JobStatus.RUNNING,
          "STREAMING",
          job.status().name(),
          job.startTime(),
          job.endTime(),
          job.duration(),
          now,
          job.lastModification(),
          job.vertices().stream().mapToInt(VertexDetails::maxParallelism).max().orElse(-1),
          FlinkJobBodies.timestamps(job),
          FlinkJobBodies.plan(job),
          0,
          job.restarts(),
          job.vertices().stream().map(v -> FlinkJobBodies.Vertex.of(v, now)).toList(),
          countsByState(job.taskCounts()),
          // the logs have the stack trace; users get the message chain
          FailureCauses.oneLine(job.failureCause()),
          restored == null
              ? null
              : new RestoredCheckpoint(
                  restored.id(),
                  restored.savepoint(),
                  restored.externalPath(),
                  restored.restoreTimestamp()),
          job.recoveries(),
          job.restoredFrom() == null
              ? null
              : new RestoredFrom(job.restoredFrom().checkpointId(), job.restoredFrom().path()),
          job.reconciliations(),
          job.events().stream().map(Event::of).toList());
    }
  }

  /** One entry of a job's event history: what its recovery by a new leader did. */
  record Event(long timestamp, String type, String message) {
    static Event of(JobEvent e) {
      return new Event(e.timestamp(), e.type(), e.message());
    }
  }

  /** The checkpoint a job's latest recovery by a new leader restored from. */
  record RestoredFrom(long checkpointId, String path) {}

  /** Where a job's current attempt restored its state from. */
  record RestoredCheckpoint(
      long id,
      @JsonProperty("is_savepoint") boolean savepoint,
      @JsonProperty("external_path") String externalPath,
      @JsonProperty("restore_timestamp") long restoreTimestamp) {}

  /**
   * {@code GET /jobs/{id}/vertices/{vertexId}/subtasktimes}, as Flink's: when each subtask's
   * current attempt reached each state.
   */
  record SubtaskTimes(
      String id,
      @JsonProperty("baton-index") int index,
      String name,
      long now,
      List<SubtaskTime> subtasks) {
    static SubtaskTimes of(VertexDetails v, long now) {
      return new SubtaskTimes(
          VertexIds.hex(v.id()),
          v.id(),
          v.name(),
          now,
          v.subtasks().stream().map(s -> SubtaskTime.of(s, now)).toList());
    }
  }

  /**
   * One subtask's attempt, where it runs ({@code taskmanager-id} as in GET /taskmanagers) and every
   * Flink task state with the epoch millis it was reached, 0 where it was not (as Flink); {@code
   * duration} from DEPLOYING to its end (or now), -1 before it deployed.
   */
  record SubtaskTime(
      int subtask,
      String host,
      @JsonProperty("taskmanager-id") String taskManagerId,
      String status,
      int attempt,
      long duration,
      Map<String, Long> timestamps) {

    static SubtaskTime of(SubtaskDetails s, long now) {
      Map<String, Long> timestamps = new LinkedHashMap<>();
      FLINK_TASK_STATES.forEach(state -> timestamps.put(state, 0L));
      s.timestamps()
          .forEach(
              (state, at) -> {
                if (timestamps.containsKey(state.name())) {
                  timestamps.put(state.name(), at);
                }
              });
      long deployed = s.timestamps().getOrDefault(ExecutionState.DEPLOYING, -1L);
      long end =
          s.timestamps().entrySet().stream()
              .filter(e -> isTerminal(e.getKey()))
              .mapToLong(Map.Entry::getValue)
              .max()
              .orElse(now);
      return new SubtaskTime(
          s.subtask(),
          s.host(),
          s.taskManagerId(),
          stateName(s.status()),
          s.attempt(),
          deployed < 0 ? -1 : end - deployed,
          timestamps);
    }

    private static boolean isTerminal(ExecutionState state) {
      return state == ExecutionState.FINISHED
          || state == ExecutionState.CANCELED
          || state == ExecutionState.FAILED;
    }
  }

  record TaskManagers(@JsonProperty("taskmanagers") List<TaskManager> taskManagers) {}

  /**
   * One TaskManager. As in Flink, {@code timeSinceLastHeartbeat} holds the epoch millis of the
   * latest heartbeat.
   */
  record TaskManager(
      String id,
      String path,
      int dataPort,
      long timeSinceLastHeartbeat,
      int slotsNumber,
      int freeSlots,
      Hardware hardware,
      Memory memory) {

    static TaskManager of(TaskManagerDetails tm) {
      return new TaskManager(
          tm.id(),
          tm.address(),
          portOf(tm.address()),
          tm.lastHeartbeat(),
          tm.slotsNumber(),
          tm.freeSlots(),
          new Hardware(
              tm.cpuCores(), tm.physicalMemory(), Math.max(0, tm.heapMax() - tm.heapUsed()), 0),
          new Memory(tm.heapUsed(), tm.heapMax()));
    }

    private static int portOf(String address) {
      int colon = address == null ? -1 : address.lastIndexOf(':');
      try {
        return colon < 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }

  record Hardware(int cpuCores, long physicalMemory, long freeMemory, long managedMemory) {}

  record Memory(long heapUsed, long heapMax) {}

  /** {@code POST /jars/upload}: the filename is the jar's id in later calls. */
  record Uploaded(String filename, String status) {}

  record JarList(List<JarFile> files) {}

  /**
   * One stored jar, as Flink's {@code JarFileInfo}: {@code entry} lists the main class its manifest
   * names (empty when it names none), which the dashboard's submit page offers and reads.
   */
  record JarFile(String id, String name, long uploaded, List<JarEntry> entry) {
    static JarFile of(StoredJar jar, List<JarEntry> entry) {
      return new JarFile(JarIds.idOf(jar.key(), jar.name()), jar.name(), jar.uploaded(), entry);
    }
  }

  /** A class a jar can be run by, as Flink's {@code JarEntryInfo}; Baton has no description. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record JarEntry(String name, String description) {}

  record RunResult(String jobid) {}

  /**
   * {@code GET /config}, Flink's {@code DashboardConfiguration}: what the dashboard reads first.
   * {@code flink-version} names the Flink REST API Baton answers in; {@code flink-revision} and
   * {@code baton-version} name Baton's own.
   */
  record ClusterConfig(
      @JsonProperty("refresh-interval") long refreshInterval,
      @JsonProperty("timezone-name") String timezoneName,
      @JsonProperty("timezone-offset") long timezoneOffset,
      @JsonProperty("flink-version") String flinkVersion,
      @JsonProperty("flink-revision") String flinkRevision,
      Map<String, Boolean> features,
      @JsonProperty("baton-version") String version) {

    static ClusterConfig of(
        long refreshInterval, String zoneName, long zoneOffset, String version) {
      Map<String, Boolean> features = new LinkedHashMap<>();
      // jars are uploaded and run through /jars; jobs cancelled through /jobs/{id}/yarn-cancel
      features.put("web-submit", true);
      features.put("web-cancel", true);
      // Baton rescales no running job and keeps no history server
      features.put("web-rescale", false);
      features.put("web-history", false);
      return new ClusterConfig(
          refreshInterval,
          zoneName,
          zoneOffset,
          FLINK_API_VERSION,
          "baton-" + version,
          features,
          version);
    }
  }

  /** Every Flink task state, 0 where none; Baton has no RECONCILING or INITIALIZING tasks. */
  static Map<String, Integer> countsByState(Map<ExecutionState, Integer> counts) {
    Map<String, Integer> out = new LinkedHashMap<>();
    FLINK_TASK_STATES.forEach(s -> out.put(s, 0));
    counts.forEach((state, n) -> out.merge(state.name(), n, Integer::sum));
    return out;
  }

  private static String stateName(ExecutionState state) {
    return state == null ? "CREATED" : state.name();
  }
}
