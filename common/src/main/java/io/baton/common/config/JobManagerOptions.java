package io.baton.common.config;

import static io.baton.common.config.ConfigOption.booleanOption;
import static io.baton.common.config.ConfigOption.durationOption;
import static io.baton.common.config.ConfigOption.intOption;
import static io.baton.common.config.ConfigOption.stringOption;

import java.time.Duration;

/** The JobManager process. */
public final class JobManagerOptions {
  private JobManagerOptions() {}

  public static final ConfigOption<String> ADDRESS =
      stringOption(
          "jobmanager.rpc.address",
          "localhost",
          "Host the JobManager's RPC endpoint is reached at (non-HA mode); TaskManagers connect here.");

  public static final ConfigOption<Integer> PORT =
      intOption(
              "jobmanager.rpc.port",
              6123,
              "Port of the JobManager's gRPC endpoint for TaskManagers; 0 picks a free port.")
          .between(0, 65535);

  public static final ConfigOption<String> BIND_HOST =
      stringOption(
          "jobmanager.bind-host", "0.0.0.0", "Interface the JobManager's RPC server binds to.");

  public static final ConfigOption<Duration> SLOT_REQUEST_TIMEOUT =
      durationOption(
              "slot.request.timeout",
              Duration.ofMinutes(5),
              "How long a job waits for slots before it fails with NoResourceAvailable.")
          .positive();

  public static final ConfigOption<Duration> PROGRAM_TIMEOUT =
      durationOption(
              "jobmanager.program.timeout",
              Duration.ofSeconds(60),
              "How long a submitted jar's main() may take to build its job graph, starting its"
                  + " JVM included.")
          .positive();

  public static final ConfigOption<Integer> PROGRAM_HEAP_MB =
      intOption(
              "jobmanager.program.heap.mb",
              256,
              "Maximum heap in MiB of the short-lived JVM in which a submitted jar's main() builds"
                  + " its job graph.")
          .atLeast(16);

  public static final ConfigOption<Integer> ARCHIVED_JOBS =
      intOption(
              "jobstore.max-capacity",
              1000,
              "Finished jobs the JobManager keeps for /jobs/overview and bin/baton list.")
          .atLeast(0);

  public static final ConfigOption<Boolean> FAILOVER_RECONCILE =
      booleanOption(
          "jobmanager.failover.reconcile",
          true,
          "Whether a new leader adopts the tasks still running on the TaskManagers instead of"
              + " restarting every job from its latest checkpoint. TaskManagers keep their tasks"
              + " while leadership moves and report them to the new leader, which holds each"
              + " recovered job RECONCILING and adopts it when every subtask of its recorded"
              + " deployment is reported alive: no task restarts, nothing is replayed, and"
              + " `reconciliations` in `GET /jobs/{id}` counts it. A missing or failed subtask, or"
              + " no reports within jobmanager.reconciliation.timeout, restarts the job from its"
              + " latest checkpoint instead, saying why. Set it alike on JobManagers and"
              + " TaskManagers; false restarts every job from its checkpoint after a failover, as"
              + " Flink does.");

  public static final ConfigOption<Duration> RECONCILIATION_TIMEOUT =
      durationOption(
              "jobmanager.reconciliation.timeout",
              Duration.ofSeconds(10),
              "With jobmanager.failover.reconcile: how long a new leader waits for the"
                  + " TaskManagers to report a recovered job's tasks before it restarts the job"
                  + " from its latest checkpoint instead; a TaskManager cancels the tasks no"
                  + " leader adopted within twice this time after the new leader was published.")
          .positive();
}
