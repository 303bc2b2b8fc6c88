package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.config.Configuration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code resourcemanager.driver: process}: a JobManager with no TaskManager started by hand starts
 * TaskManager JVMs for a job's slots, replaces one killed with SIGKILL, and stops them once idle.
 * The JobManager runs in the test's JVM, so its workers are this JVM's child processes.
 */
class ProcessDriverTest {
  private static final Pattern WORKER_ID = Pattern.compile("worker-([0-9a-f]{32})");
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path workDir;
  private LocalCluster cluster;

  @AfterEach
  void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    // the JobManager stops its workers when it closes; a leftover would outlive the build
    for (ProcessHandle worker : workers().values()) {
      worker.destroyForcibly();
    }
  }

  @Test
  void workersAreStartedForTheJobReplacedWhenKilledAndStoppedWhenIdle() throws Exception {
    cluster = LocalCluster.start(workDir, 0, 2, ProcessDriverTest::processDriver);
    assertThat(cluster.rest().getOk("/overview").get("taskmanagers").asInt())
        .as("no TaskManager before a job needs slots")
        .isZero();

    LedgerJob ledger = new LedgerJob(200_000, 11, 20_000, 0, workDir.resolve("ledger-out"));
    String jobId = ledger.submit(cluster.rest(), 4);
    // the job is RUNNING while it waits for slots: its records show the workers are there
    Awaits.until(
        "records flowing",
        Duration.ofSeconds(90),
        () -> StartedWorkers.recordsWritten(cluster.rest(), jobId) > 20_000);
    Set<String> first = StartedWorkers.registered(cluster.rest());
    assertThat(first).as("4 slots of workers with 2 slots each").hasSize(2);
    assertThat(workers().keySet()).as("worker processes").isEqualTo(first);

    String victimId = first.iterator().next();
    ProcessHandle victim = workers().get(victimId);
    victim.destroyForcibly();
    victim.onExit().get(30, TimeUnit.SECONDS);

    Awaits.until(
        "a replacement for " + victimId + " registered",
        Duration.ofSeconds(90),
        () -> {
          Set<String> now = StartedWorkers.registered(cluster.rest());
          return now.size() == 2 && !now.contains(victimId);
        });
    Set<String> replaced = StartedWorkers.registered(cluster.rest());
    assertThat(workers().keySet()).isEqualTo(replaced);
    awaitJobState(jobId, "FINISHED", Duration.ofMinutes(3));
    ledger.assertExactlyOnce();

    List<ProcessHandle> idle = new ArrayList<>(workers().values());
    Awaits.until(
        "idle workers stopped",
        IDLE_TIMEOUT.plusSeconds(60),
        () -> idle.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(cluster.rest().getOk("/overview").get("taskmanagers").asInt()).isZero();
    assertThat(cluster.jobManager().meterRegistry().get("baton.workers.started").counter().count())
        .isEqualTo(3);
  }

  private static Configuration processDriver(Configuration config) {
    return config
        .setString("resourcemanager.driver", "process")
        .setString("resourcemanager.taskmanager-timeout", IDLE_TIMEOUT.toSeconds() + " s")
        .setString("env.java.opts.taskmanager", "-Xmx256m -XX:+UseSerialGC")
        .setString("taskmanager.numberOfTaskSlots", "2")
        .setString("taskmanager.host", "127.0.0.1")
        .setString("taskmanager.bind-host", "127.0.0.1")
        .setString("slot.request.timeout", "90 s")
        // a worker JVM just started on a busy machine can stall for seconds while it compiles;
        // the killed worker is noticed by its process ending, not by a missed heartbeat
        .setString("heartbeat.timeout", "20 s");
  }

  /** Waits for the job's state; a failure message carries the ends of the workers' logs. */
  private void awaitJobState(String jobId, String state, Duration deadline) throws IOException {
    try {
      Awaits.jobState(cluster.rest(), jobId, state, deadline);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + workerLogs(), e);
    }
  }

  /** The live TaskManager JVMs this JVM started, by the id in their configuration directory. */
  private static Map<String, ProcessHandle> workers() {
    Map<String, ProcessHandle> byId = new TreeMap<>();
    ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .forEach(
            p -> {
              String command = StartedWorkers.commandLine(p);
              Matcher m = WORKER_ID.matcher(command);
              if (command.contains("TaskManagerEntrypoint") && m.find()) {
                byId.put(m.group(1), p);
              }
            });
    return byId;
  }

  private String workerLogs() throws IOException {
    Path logs = workDir.resolve("jm-tmp").resolve("baton-worker-logs");
    StringBuilder out = new StringBuilder();
    if (Files.isDirectory(logs)) {
      try (Stream<Path> files = Files.list(logs)) {
        for (Path f : files.sorted().toList()) {
          String text = Files.readString(f);
          out.append("\n===== ")
              .append(f.getFileName())
              .append(" =====\n")
              .append(text.substring(Math.max(0, text.length() - 3000)));
        }
      }
    }
    return out.toString();
  }
}
