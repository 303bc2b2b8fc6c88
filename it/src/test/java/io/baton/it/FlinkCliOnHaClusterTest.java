package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Flink's own CLI (flink-clients 1.20.1, unmodified, in a JVM of its own) against a Baton HA
 * cluster of two JobManagers and two TaskManagers: {@code list}, {@code list -a}, {@code
 * savepoint}, {@code savepoint -d}, {@code stop -p} and {@code cancel}, each pointed at the leader
 * and at the standby (which passes Flink's calls on to the leader). Asserted as a user would check:
 * exit codes, the job ids, names and states printed, the savepoint printed exists (and is gone
 * after its disposal), and the jobs' end states through Baton's REST API. {@code flink run} of a
 * Baton jar refuses in one line and submits nothing.
 */
class FlinkCliOnHaClusterTest {
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  private static final Pattern SAVEPOINT_PATH =
      Pattern.compile("Savepoint completed\\. Path: (\\S+)");

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void flinksCliListsSavepointsStopsAndCancelsThroughLeaderAndStandby() throws Exception {
    Path savepoints = workDir.resolve("savepoints");
    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.single(),
            "flink-cli",
            workDir,
            Duration.ofSeconds(10),
            c -> c.setString("state.savepoints.dir", savepoints.toUri().toString()));
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    JobManagerProcess standby =
        cluster.jobManagers().stream().filter(jm -> jm != leader).findFirst().orElseThrow();
    cluster.awaitAllContend(leader, Duration.ofSeconds(60));
    FlinkCli flink = new FlinkCli(workDir.resolve("cli"), COMMAND_TIMEOUT);

    // flink run runs a jar's main() in Flink's own client: a Baton jar refuses in one line
    FlinkCli.Outcome run =
        flink.run(
            "run",
            standby.id(),
            TestJars.examplesJar().toString(),
            "wordcount",
            "--input",
            Files.writeString(workDir.resolve("in.txt"), "a b a\n").toString(),
            "--output",
            workDir.resolve("wc").toString());
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output().lines().filter(l -> !l.startsWith("SLF4J")))
        .containsExactly("no Baton cluster to run on: submit this job with 'bin/baton run <jar>'");
    assertThat(leader.rest().getOk("/jobs/overview").get("jobs")).isEmpty();

    String stoppedViaLeader = startLedger(cluster, leader, "a");
    String stoppedViaStandby = startLedger(cluster, leader, "b");
    String cancelledViaLeader = startLedger(cluster, leader, "c");
    String cancelledViaStandby = startLedger(cluster, leader, "d");
    String name = leader.rest().getOk("/jobs/" + stoppedViaLeader).get("name").asText();

    for (JobManagerProcess jm : new JobManagerProcess[] {leader, standby}) {
      FlinkCli.Outcome list = flink.run("list", jm.id());
      assertThat(list.exitCode()).as(list.output()).isZero();
      assertThat(list.output()).contains("Running/Restarting Jobs");
      for (String job :
          new String[] {
            stoppedViaLeader, stoppedViaStandby, cancelledViaLeader, cancelledViaStandby
          }) {
        assertThat(list.output())
            .as("flink list via %s", jm)
            .contains(job + " : " + name + " (RUNNING)");
      }
    }

    // savepoint, then its disposal, through each JobManager
    for (JobManagerProcess jm : new JobManagerProcess[] {leader, standby}) {
      FlinkCli.Outcome savepoint =
          flink.run(
              "savepoint",
              jm.id(),
              stoppedViaLeader,
              savepoints.resolve("via-" + jm.name()).toUri().toString());
      assertThat(savepoint.exitCode()).as(savepoint.output()).isZero();
      Path path = savepointPath(savepoint.output());
      assertThat(path).startsWith(savepoints.resolve("via-" + jm.name()));
      assertThat(path.resolve("_metadata")).isRegularFile();

      FlinkCli.Outcome dispose = flink.run("savepoint", jm.id(), "-d", path.toUri().toString());
      assertThat(dispose.exitCode()).as(dispose.output()).isZero();
      assertThat(dispose.output()).contains("disposed");
      assertThat(path).doesNotExist();
    }

    // a disposal outside state.savepoints.dir is refused and deletes nothing
    Path precious = Files.createDirectories(workDir.resolve("precious"));
    Files.writeString(precious.resolve("_metadata"), "not yours");
    FlinkCli.Outcome refused = flink.run("savepoint", standby.id(), "-d", precious.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.output()).contains("outside state.savepoints.dir");
    assertThat(precious.resolve("_metadata")).hasContent("not yours");

    FlinkCli.Outcome cancel = flink.run("cancel", leader.id(), cancelledViaLeader);
    assertThat(cancel.exitCode()).as(cancel.output()).isZero();
    assertThat(cancel.output()).contains("Cancelled job " + cancelledViaLeader);
    cancel = flink.run("cancel", standby.id(), cancelledViaStandby);
    assertThat(cancel.exitCode()).as(cancel.output()).isZero();
    assertThat(cancel.output()).contains("Cancelled job " + cancelledViaStandby);
    cluster.awaitJobState(cancelledViaLeader, "CANCELED", Duration.ofSeconds(60));
    cluster.awaitJobState(cancelledViaStandby, "CANCELED", Duration.ofSeconds(60));

    for (Object[] stop :
        new Object[][] {{leader, stoppedViaLeader}, {standby, stoppedViaStandby}}) {
      JobManagerProcess jm = (JobManagerProcess) stop[0];
      String job = (String) stop[1];
      Path target = savepoints.resolve("stop-via-" + jm.name());
      FlinkCli.Outcome stopped = flink.run("stop", jm.id(), "-p", target.toUri().toString(), job);
      assertThat(stopped.exitCode()).as(stopped.output()).isZero();
      Path path = savepointPath(stopped.output());
      assertThat(path).startsWith(target);
      assertThat(path.resolve("_metadata")).isRegularFile();
      cluster.awaitJobState(job, "CANCELED", Duration.ofSeconds(60));
    }

    for (JobManagerProcess jm : new JobManagerProcess[] {leader, standby}) {
      FlinkCli.Outcome running = flink.run("list", jm.id());
      assertThat(running.exitCode()).as(running.output()).isZero();
      assertThat(running.output()).contains("No running jobs");
      FlinkCli.Outcome all = flink.run("list", jm.id(), "-a");
      assertThat(all.exitCode()).as(all.output()).isZero();
      assertThat(all.output()).contains("Terminated Jobs");
      for (String job :
          new String[] {
            stoppedViaLeader, stoppedViaStandby, cancelledViaLeader, cancelledViaStandby
          }) {
        assertThat(all.output())
            .as("flink list -a via %s", jm)
            .contains(job + " : " + name + " (CANCELED)");
      }
    }
  }

  private String startLedger(HaCluster cluster, JobManagerProcess leader, String name)
      throws Exception {
    // slow and long: each job runs until the CLI ends it
    LedgerJob ledger = new LedgerJob(100_000_000, 3, 200, 500, workDir.resolve("ledger-" + name));
    String jobId = ledger.submit(leader.rest(), 1);
    cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
    return jobId;
  }

  private static Path savepointPath(String output) {
    Matcher m = SAVEPOINT_PATH.matcher(output);
    assertThat(m.find()).as("a savepoint path in: %s", output).isTrue();
    String location = m.group(1);
    return location.startsWith("file:")
        ? Path.of(java.net.URI.create(location))
        : Path.of(location);
  }
}
