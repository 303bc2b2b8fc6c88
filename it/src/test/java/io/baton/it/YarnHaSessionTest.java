package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.yarn.YarnSession;
import io.baton.cli.yarn.YarnSessionCli;
import io.baton.cli.yarn.YarnSessionDeployer;
import io.baton.it.yarn.ClasspathLib;
import io.baton.it.yarn.MiniYarn;
import io.baton.it.yarn.SessionConfDir;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YARN sessions with ZooKeeper high availability (a real ZooKeeper server, HA storage and
 * checkpoints on the mini cluster's HDFS) whose container JVMs are SIGKILLed while Ledger runs: the
 * ApplicationMaster (YARN starts a second attempt, which recovers the job and takes over the first
 * attempt's TaskManager containers) and then, on attempt 2 and in the same job, one TaskManager (a
 * replacement container is started). The job finishes exactly-once. {@code yarn-session.sh --stop}
 * of a session with a running job cancels it and leaves no container, staging file, znode or HA
 * file. One mini YARN cluster, one ZooKeeper and one session serve the class.
 */
class YarnHaSessionTest {
  @TempDir static Path workDir;
  private static MiniYarn yarn;
  private static ZooKeeperEnsemble zooKeeper;
  private static Path lib;
  private static Path conf;

  @BeforeAll
  static void startClusters() throws Exception {
    yarn = MiniYarn.start(workDir.resolve("yarn"), 2);
    zooKeeper = ZooKeeperEnsemble.single();
    lib = ClasspathLib.create(workDir.resolve("lib"));
    String hdfs = yarn.hdfs().namenode().toString();
    conf =
        SessionConfDir.write(
            workDir.resolve("conf"),
            workDir.resolve("tmp"),
            "high-availability.type: zookeeper",
            "high-availability.zookeeper.quorum: " + zooKeeper.connectString(),
            "high-availability.zookeeper.client.session-timeout: 6 s",
            "high-availability.storageDir: " + hdfs + "/baton-ha",
            "state.checkpoints.dir: " + hdfs + "/baton-checkpoints");
  }

  @AfterAll
  static void stopClusters() throws Exception {
    try {
      if (yarn != null) {
        yarn.close();
      }
    } finally {
      if (zooKeeper != null) {
        zooKeeper.close();
      }
    }
  }

  /**
   * One session for all three (a deployment and its teardown cost a minute on a busy machine): the
   * ApplicationMaster killed mid-Ledger, then, on the second attempt and in the same job, a
   * TaskManager container killed, and then {@code --stop} while a second job runs.
   */
  @Test
  void aSessionSurvivesItsMasterAndATaskManagerKilledAndAStopLeavesNothing() throws Exception {
    try (YarnSessionDeployer deployer =
            new YarnSessionDeployer(yarn.configuration(), Duration.ofMinutes(3));
        YarnClient client = yarnClient()) {
      YarnSession session = deployer.deploy(lib, conf, Map.of());
      String appId = session.applicationId();
      // long enough to run on after attempt 2 recovered it, so that a TaskManager dies mid-job too
      LedgerJob ledger = new LedgerJob(500_000, 11, 20_000, 200, workDir.resolve("ha-out"));
      String jobId = ledger.submit(rest(session.restUrl()), 4);

      RestApi second = killTheMasterAndAwaitTheSecondAttempt(deployer, client, session, jobId);
      killATaskManagerAndAwaitItsReplacement(second, jobId);
      Awaits.jobState(second, jobId, "FINISHED", Duration.ofMinutes(3));
      ledger.assertExactlyOnce();

      stopWithAJobRunning(deployer, client, second, appId);
    }
  }

  /**
   * SIGKILLs the ApplicationMaster's JVM once both TaskManagers run the job and a checkpoint
   * completed; returns the REST API of attempt 2, which runs the recovered job on the same
   * TaskManager JVMs.
   */
  private static RestApi killTheMasterAndAwaitTheSecondAttempt(
      YarnSessionDeployer deployer, YarnClient client, YarnSession session, String jobId)
      throws Exception {
    ApplicationId appId = ApplicationId.fromString(session.applicationId());
    RestApi first = rest(session.restUrl());
    Awaits.until(
        "both TaskManager containers registered and a checkpoint completed",
        // container JVMs start slowly while other builds share the machine
        Duration.ofMinutes(3),
        () ->
            StartedWorkers.registered(first).size() == 2
                && HaCluster.latestCompletedCheckpoint(
                        first.getOk("/jobs/" + jobId + "/checkpoints"))
                    > 0);
    Set<String> taskManagers = StartedWorkers.registered(first);
    Set<Long> taskManagerPids = pids(ContainerJvms.running(ContainerJvms.TASK_MANAGER));
    assertThat(taskManagerPids).hasSize(2);
    assertThat(zooKeeper.data("/baton/" + appId + "/jobgraphs/" + jobId))
        .as("cluster-id defaults to the application id")
        .isNotNull();

    List<ProcessHandle> masters = ContainerJvms.running(ContainerJvms.APPLICATION_MASTER);
    assertThat(masters).as("the ApplicationMaster's container JVM").hasSize(1);
    long killedAt = System.nanoTime();
    masters.get(0).destroyForcibly();
    masters.get(0).onExit().get(30, TimeUnit.SECONDS);

    RestApi[] second = new RestApi[1];
    Awaits.until(
        "the second attempt's JobManager runs the recovered job",
        Duration.ofMinutes(3),
        () -> {
          ApplicationReport report = client.getApplicationReport(appId);
          if (report.getCurrentApplicationAttemptId().getAttemptId() != 2) {
            return false;
          }
          RestApi rest = rest(deployer.restUrl(session.applicationId()));
          JsonNode job = rest.get("/jobs/" + jobId, Duration.ofSeconds(2)).body();
          second[0] = rest;
          return job.get("state").asText().equals("RUNNING") && job.get("recoveries").asInt() >= 1;
        });
    long running = System.nanoTime();
    Awaits.until(
        "the first attempt's TaskManagers registered with the second",
        Duration.ofMinutes(2),
        () -> StartedWorkers.registered(second[0]).equals(taskManagers));
    long reRegistered = System.nanoTime();
    System.out.printf(
        "yarn HA: ApplicationMaster killed -> job RUNNING on attempt 2 %d ms; -> the kept"
            + " TaskManagers registered %d ms%n",
        (running - killedAt) / 1_000_000, (reRegistered - killedAt) / 1_000_000);
    assertThat(pids(ContainerJvms.running(ContainerJvms.TASK_MANAGER)))
        .as("the same TaskManager JVMs, no container asked for twice")
        .isEqualTo(taskManagerPids);
    assertThat(deployer.hasStagingFiles(session.applicationId()))
        .as("an ApplicationMaster's death deletes no staging file")
        .isTrue();
    // bin/baton finds the second attempt's JobManager through ZooKeeper by the application id
    InProcessCli list =
        InProcessCli.run(
            Map.of("BATON_CONF_DIR", conf.toString()),
            "list",
            "-t",
            "yarn-session",
            "-Dyarn.application.id=" + appId);
    assertThat(list.err()).isEmpty();
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).contains(jobId);
    return second[0];
  }

  /**
   * SIGKILLs one of the TaskManager container JVMs attempt 2 took over while the job still runs,
   * and waits until a replacement container's TaskManager registered.
   */
  private static void killATaskManagerAndAwaitItsReplacement(RestApi rest, String jobId)
      throws Exception {
    Set<String> before = StartedWorkers.registered(rest);
    assertThat(rest.getOk("/jobs/" + jobId).get("state").asText())
        .as("the job still runs when its TaskManager is killed")
        .isEqualTo("RUNNING");
    List<ProcessHandle> taskManagers = ContainerJvms.running(ContainerJvms.TASK_MANAGER);
    assertThat(taskManagers).hasSize(2);

    long killedAt = System.nanoTime();
    taskManagers.get(0).destroyForcibly();
    taskManagers.get(0).onExit().get(30, TimeUnit.SECONDS);
    Awaits.until(
        "a replacement TaskManager registered",
        Duration.ofMinutes(2),
        () -> {
          Set<String> now = StartedWorkers.registered(rest);
          Set<String> kept = new HashSet<>(now);
          kept.retainAll(before);
          return now.size() == 2 && kept.size() == 1;
        });
    System.out.printf(
        "yarn session: TaskManager container killed -> replacement registered %d ms%n",
        (System.nanoTime() - killedAt) / 1_000_000);
    assertThat(ContainerJvms.running(ContainerJvms.TASK_MANAGER)).hasSize(2);
  }

  /**
   * {@code yarn-session.sh --stop} while a job runs: the job is cancelled and no container JVM,
   * staging file, znode or HA file of the session is left.
   */
  private static void stopWithAJobRunning(
      YarnSessionDeployer deployer, YarnClient client, RestApi rest, String appId)
      throws Exception {
    // slow enough to be running still when the session is stopped
    LedgerJob slow = new LedgerJob(1_000_000, 11, 2_000, 200, workDir.resolve("stop-out"));
    String running = slow.submit(rest, 2);
    Awaits.jobState(rest, running, "RUNNING", Duration.ofMinutes(1));
    assertThat(zooKeeper.tree("/baton/" + appId)).isNotEmpty();
    assertThat(haFiles(appId)).as("HA files of the session").isTrue();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        YarnSessionCli.execute(
            new YarnSessionCli(new PrintWriter(out, true), Map.of(), yarn.configuration()),
            new PrintWriter(err, true),
            "--stop",
            appId);

    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    assertThat(out.toString().strip())
        .startsWith("Stopped YARN application " + appId + " (SUCCEEDED)")
        .contains("cancelled jobs [" + running + "]")
        .contains("staging directory and HA data deleted");
    ApplicationReport report = client.getApplicationReport(ApplicationId.fromString(appId));
    assertThat(report.getYarnApplicationState()).isEqualTo(YarnApplicationState.FINISHED);
    assertThat(report.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
    ContainerJvms.awaitNoneLeft();
    assertThat(deployer.hasStagingFiles(appId)).as("staging files").isFalse();
    assertThat(zooKeeper.tree("/baton/" + appId)).as("znodes of the session").isEmpty();
    assertThat(haFiles(appId)).as("HA files of the session").isFalse();
  }

  /** Whether {@code high-availability.storageDir/<appId>} is on HDFS. */
  private static boolean haFiles(String appId) throws Exception {
    org.apache.hadoop.fs.Path dir =
        new org.apache.hadoop.fs.Path(yarn.hdfs().namenode() + "/baton-ha/" + appId);
    return dir.getFileSystem(yarn.configuration()).exists(dir);
  }

  private static RestApi rest(URI url) {
    return new RestApi(url.getHost(), url.getPort());
  }

  private static Set<Long> pids(List<ProcessHandle> processes) {
    Set<Long> pids = new HashSet<>();
    processes.forEach(p -> pids.add(p.pid()));
    return pids;
  }

  private static YarnClient yarnClient() {
    YarnClient client = YarnClient.createYarnClient();
    client.init(yarn.configuration());
    client.start();
    return client;
  }
}
