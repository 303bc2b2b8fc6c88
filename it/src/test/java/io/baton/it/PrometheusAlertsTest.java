package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus, run as an operator runs it with Baton's shipped alerting rules, watches a
 * real HA cluster (two JobManagers, three TaskManagers serving metrics, a three-server ZooKeeper
 * ensemble) while faults are injected one after another; each fault's alert is seen firing through
 * Prometheus' own HTTP API, with text naming the instance or job, and resolving where the fault
 * heals. The rules are the shipped file with shorter {@code for} durations and a 5 s floor for
 * lateness, so the test takes minutes, not hours. First, {@code promtool check metrics} finds
 * nothing to warn about in what a JobManager and a TaskManager serve.
 */
class PrometheusAlertsTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
  private static final Duration ALERT_DEADLINE = Duration.ofSeconds(60);

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void eachFaultFiresItsAlertInPrometheus() throws Exception {
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.ofThree(),
            "prometheus-alerts",
            workDir,
            SESSION_TIMEOUT,
            c ->
                c.setString("high-availability.zookeeper.leader-probe.enabled", "false")
                    // checkpoints failing on purpose must not fail the job over
                    .setString("execution.checkpointing.tolerable-failed-checkpoints", "100000"));
    cluster.startJobManager("jm1");
    cluster.startJobManager("jm2");
    List<String> taskManagerTargets = new ArrayList<>();
    List<Integer> metricsPorts = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      int port = freePort();
      metricsPorts.add(port);
      taskManagerTargets.add("127.0.0.1:" + port);
      cluster.startTaskManager(
          "tm" + i, 2, c -> c.setString("metrics.reporter.prom.port", Integer.toString(port)));
    }
    JobManagerProcess leader = cluster.awaitLeader(Duration.ofSeconds(90));
    cluster.awaitTaskManagers(3, Duration.ofSeconds(60));
    LedgerJob ledger = new LedgerJob(200_000, 7, 500, 1000, workDir.resolve("out"));
    String jobId = cluster.submitAndAwaitCheckpoint(ledger, leader, 2, 0);

    // what both kinds of process serve is clean under promtool
    int busy = awaitTaskManagerRunningTasks(metricsPorts);
    assertCleanUnderPromtool("the leader " + leader, PrometheusTools.scrape(leader.id()));
    assertCleanUnderPromtool(
        "TaskManager on port " + busy, PrometheusTools.scrape("127.0.0.1:" + busy));

    List<String> jobManagerTargets = cluster.jobManagers().stream().map(jm -> jm.id()).toList();
    try (PrometheusServer prometheus =
        PrometheusServer.start(
            workDir.resolve("prometheus"),
            cluster.logDir(),
            testRules(),
            jobManagerTargets,
            taskManagerTargets)) {
      try {
        prometheus.awaitTargetsUp(5, ALERT_DEADLINE);
        // a healthy cluster raises nothing
        Awaits.until(
            "no alert on the healthy cluster", ALERT_DEADLINE, () -> prometheus.alerts().isEmpty());

        // a TaskManager running the job is SIGKILLed: it is down, lost, and the job restarts
        int victimIndex = metricsPorts.indexOf(busy);
        cluster.taskManagers().get(victimIndex).kill();
        JsonNode down =
            prometheus.awaitFiring(
                "BatonTaskManagerDown", Map.of("instance", "127.0.0.1:" + busy), ALERT_DEADLINE);
        assertThat(down.get("annotations").get("summary").asText())
            .isEqualTo("TaskManager 127.0.0.1:" + busy + " does not answer");
        JsonNode lost =
            prometheus.awaitFiring(
                "BatonTaskManagerLost", Map.of("instance", leader.id()), ALERT_DEADLINE);
        assertThat(lost.get("annotations").get("description").asText())
            .matches(
                "JobManager "
                    + Pattern.quote(leader.id())
                    + " released [1-9][0-9]* TaskManager\\(s\\) in the last 5 minutes .*");
        JsonNode restarting =
            prometheus.awaitFiring("BatonJobRestarting", Map.of("job_id", jobId), ALERT_DEADLINE);
        assertThat(restarting.get("annotations").get("summary").asText())
            .isEqualTo("Job ledger (" + jobId + ") is restarting");

        // a TaskManager started again on the dead one's port answers scrapes again
        cluster.startTaskManager(
            "tm" + (victimIndex + 1) + "-again",
            2,
            c -> c.setString("metrics.reporter.prom.port", Integer.toString(busy)));
        prometheus.awaitResolved("BatonTaskManagerDown", ALERT_DEADLINE);

        // checkpoints cannot be written: they fail, and soon none has completed for too long
        cluster.awaitJobState(jobId, "RUNNING", ALERT_DEADLINE);
        long before = cluster.awaitCheckpointAfter(jobId, 0, ALERT_DEADLINE);
        List<Path> blockers = blockCheckpoints(jobId, before);
        JsonNode failing =
            prometheus.awaitFiring(
                "BatonCheckpointsFailing", Map.of("job_id", jobId), ALERT_DEADLINE);
        assertThat(failing.get("annotations").get("description").asText())
            .contains("checkpoints of job ledger (" + jobId + ") failed in the last 5 minutes");
        JsonNode late =
            prometheus.awaitFiring("BatonCheckpointsLate", Map.of("job_id", jobId), ALERT_DEADLINE);
        assertThat(late.get("annotations").get("summary").asText())
            .isEqualTo("Job ledger (" + jobId + ") completed no checkpoint lately");
        for (Path blocker : blockers) {
          // a failed checkpoint's clean-up removed some; what is a directory now is not ours
          if (Files.isRegularFile(blocker)) {
            Files.delete(blocker);
          }
        }
        prometheus.awaitResolved("BatonCheckpointsLate", ALERT_DEADLINE);

        // the quorum is lost and the leader killed (no probe to prove it gone): nobody leads,
        // and everyone still running is cut off from ZooKeeper
        ha.zooKeeper().killServers(2);
        leader.kill();
        JsonNode noLeader =
            prometheus.awaitFiring(
                "BatonNoLeader", Map.of("job", "baton-jobmanager"), ALERT_DEADLINE);
        assertThat(noLeader.get("annotations").get("summary").asText())
            .isEqualTo("No Baton JobManager leads (baton-jobmanager)");
        JobManagerProcess standby = cluster.liveJobManagers().stream().findFirst().orElseThrow();
        JsonNode cutOff =
            prometheus.awaitFiring(
                "BatonZooKeeperConnectionLost", Map.of("instance", standby.id()), ALERT_DEADLINE);
        assertThat(cutOff.get("annotations").get("summary").asText())
            .isEqualTo(standby.id() + " is not connected to ZooKeeper");

        // the quorum returns: the standby leads once the dead leader's session expired
        ha.zooKeeper().restartKilledServers();
        cluster.awaitLeader(Duration.ofSeconds(90));
        prometheus.awaitResolved("BatonZooKeeperConnectionLost", ALERT_DEADLINE);
        prometheus.awaitResolved("BatonNoLeader", ALERT_DEADLINE);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            e.getMessage() + "\n" + prometheus.logTail() + cluster.logsTail(3000), e);
      }
    }
  }

  /**
   * The shipped rules with {@code for} durations of 2 s and a lateness floor of 5 s; fails when the
   * shipped file no longer has what is replaced.
   */
  private Path testRules() throws IOException {
    String rules = Files.readString(PrometheusTools.RULES);
    String shortened =
        rules
            .replace("for: 30s", "for: 2s")
            .replace("for: 10s", "for: 2s")
            .replace(
                "clamp_min(3 * baton_checkpoint_interval_seconds, 30)",
                "clamp_min(3 * baton_checkpoint_interval_seconds, 5)");
    assertThat(shortened).doesNotContain("for: 30s", "for: 10s").contains(", 5)");
    Path copy = workDir.resolve("baton-alerts-test-copy.yml");
    Files.writeString(copy, shortened);
    return copy;
  }

  /**
   * Plants a file where each of the next checkpoints' directories would go, so none can be written
   * (this runs as root, where taking away permissions would not stop a write).
   */
  private List<Path> blockCheckpoints(String jobId, long latest) throws IOException {
    Path jobDir = workDir.resolve("checkpoints").resolve(jobId);
    Files.createDirectories(jobDir);
    List<Path> blockers = new ArrayList<>();
    for (long id = latest + 1; id <= latest + 500; id++) {
      Path blocker = jobDir.resolve("chk-" + id);
      if (!Files.exists(blocker)) {
        blockers.add(Files.writeString(blocker, "not a directory"));
      }
    }
    return blockers;
  }

  /** Waits until some TaskManager reports running tasks; returns its metrics port. */
  private int awaitTaskManagerRunningTasks(List<Integer> ports) {
    int[] busy = {-1};
    Awaits.until(
        "a TaskManager serving metrics of running tasks",
        ALERT_DEADLINE,
        () -> {
          for (int port : ports) {
            String text = PrometheusTools.scrape("127.0.0.1:" + port);
            if (text.contains("baton_taskmanager_task_records_out_total{")
                && !text.contains("baton_taskmanager_tasks_running 0.0")) {
              busy[0] = port;
              return true;
            }
          }
          return false;
        });
    return busy[0];
  }

  private void assertCleanUnderPromtool(String what, String metrics) throws Exception {
    PrometheusTools.Result lint = PrometheusTools.promtool(workDir, metrics, "check", "metrics");
    assertThat(lint.output()).as("promtool check metrics on %s", what).isBlank();
    assertThat(lint.exitCode()).as("promtool check metrics on %s", what).isZero();
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }
}
