package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.cli.yarn.YarnSession;
import io.baton.cli.yarn.YarnSessionCli;
import io.baton.cli.yarn.YarnSessionDeployer;
import io.baton.it.yarn.ClasspathLib;
import io.baton.it.yarn.MiniYarn;
import io.baton.it.yarn.SessionConfDir;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
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
 * A YARN session deployed by the client's deployer on a real (mini) YARN cluster: the
 * ApplicationMaster's container JVM runs the JobManager, TaskManager containers (real JVMs the
 * NodeManagers start) run Ledger exactly-once, and a stop leaves no containers and no staging
 * files. In application mode WordCount runs with exact counts and the application ends with it. A
 * bad queue or an impossible container size is refused in one line.
 */
class YarnSessionTest {
  @TempDir static Path workDir;
  private static MiniYarn yarn;
  private static Path lib;
  private static Path conf;

  @BeforeAll
  static void startClusters() throws Exception {
    yarn = MiniYarn.start(workDir.resolve("yarn"), 2);
    lib = ClasspathLib.create(workDir.resolve("lib"));
    conf = SessionConfDir.write(workDir.resolve("conf"), workDir.resolve("tmp"));
  }

  @AfterAll
  static void stopClusters() {
    if (yarn != null) {
      yarn.close();
    }
  }

  @Test
  void aDeployedSessionRunsLedgerExactlyOnceInContainersAndAStopLeavesNothing() throws Exception {
    try (YarnSessionDeployer deployer =
        new YarnSessionDeployer(yarn.configuration(), Duration.ofMinutes(3))) {
      long deployStart = System.nanoTime();
      YarnSession session = deployer.deploy(lib, conf, Map.of());
      long deployed = System.nanoTime();
      assertThat(deployer.hasStagingFiles(session.applicationId())).isTrue();
      assertThat(deployer.restUrl(session.applicationId())).isEqualTo(session.restUrl());
      List<ProcessHandle> masters = ContainerJvms.running(ContainerJvms.APPLICATION_MASTER);
      assertThat(masters).as("the ApplicationMaster's container JVM").hasSize(1);

      RestApi rest = new RestApi(session.restUrl().getHost(), session.restUrl().getPort());
      LedgerJob ledger = new LedgerJob(200_000, 11, 20_000, 0, workDir.resolve("ledger-out"));
      String jobId = ledger.submit(rest, 4);
      Awaits.until(
          "both TaskManager containers registered",
          Duration.ofMinutes(2),
          () -> StartedWorkers.registered(rest).size() == 2);
      long registered = System.nanoTime();
      System.out.printf(
          "yarn session: deploy took %d ms (upload, submit, REST answering); deploy -> every"
              + " TaskManager registered %d ms%n",
          (deployed - deployStart) / 1_000_000, (registered - deployStart) / 1_000_000);
      assertThat(ContainerJvms.running(ContainerJvms.TASK_MANAGER))
          .as("TaskManager JVMs started by the NodeManagers")
          .hasSize(2);

      Awaits.jobState(rest, jobId, "FINISHED", Duration.ofMinutes(3));
      ledger.assertExactlyOnce();

      assertThat(deployer.stop(session.applicationId()))
          .startsWith("Stopped YARN application " + session.applicationId() + " (SUCCEEDED)")
          .doesNotContain("cancelled");
      ContainerJvms.awaitNoneLeft();
      assertThat(deployer.hasStagingFiles(session.applicationId())).isFalse();
      try (YarnClient client = YarnClient.createYarnClient()) {
        client.init(yarn.configuration());
        client.start();
        ApplicationId appId = ApplicationId.fromString(session.applicationId());
        assertThat(client.getApplicationReport(appId).getYarnApplicationState())
            .isEqualTo(YarnApplicationState.FINISHED);
        assertThat(
                client.getApplications(Set.of("Baton")).stream()
                    .filter(r -> r.getYarnApplicationState() == YarnApplicationState.RUNNING))
            .isEmpty();
      }
    }
  }

  @Test
  void applicationModeRunsWordCountWithExactCountsAndEndsWithTheJob() throws Exception {
    Path input = workDir.resolve("words.txt");
    Files.writeString(
        input, "to be or not to be\nthat is the question\nTo BE, again: be!\n".repeat(100));
    Path output = workDir.resolve("wordcount-out");
    try (YarnSessionDeployer deployer =
            new YarnSessionDeployer(yarn.configuration(), Duration.ofMinutes(3));
        YarnClient client = YarnClient.createYarnClient()) {
      client.init(yarn.configuration());
      client.start();
      String appId =
          deployer.deployApplication(
              lib,
              conf,
              Map.of(),
              TestJars.examplesJar(),
              List.of("wordcount", "--input", input.toString(), "--output", output.toString()));
      ApplicationId id = ApplicationId.fromString(appId);
      Awaits.until(
          "application " + appId + " ended",
          Duration.ofMinutes(4),
          () ->
              Set.of(
                      YarnApplicationState.FINISHED,
                      YarnApplicationState.FAILED,
                      YarnApplicationState.KILLED)
                  .contains(client.getApplicationReport(id).getYarnApplicationState()));
      ApplicationReport report = client.getApplicationReport(id);
      assertThat(report.getFinalApplicationStatus())
          .as("diagnostics: %s", report.getDiagnostics())
          .isEqualTo(FinalApplicationStatus.SUCCEEDED);
      assertThat(report.getDiagnostics()).contains("(wordcount) FINISHED");
      assertThat(readCounts(output))
          .isEqualTo(
              Map.of(
                  "to",
                  300L,
                  "be",
                  400L,
                  "or",
                  100L,
                  "not",
                  100L,
                  "that",
                  100L,
                  "is",
                  100L,
                  "the",
                  100L,
                  "question",
                  100L,
                  "again",
                  100L));
      assertThat(deployer.hasStagingFiles(appId)).as("staging files").isFalse();
      ContainerJvms.awaitNoneLeft();
    }
  }

  /** WordCount's {@code <word>\t<count>} lines from every file of {@code dir}. */
  private static Map<String, Long> readCounts(Path dir) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path part : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
        for (String line : Files.readAllLines(part)) {
          String[] fields = line.split("\t");
          assertThat(counts.put(fields[0], Long.parseLong(fields[1])))
              .as("word '%s' written twice", fields[0])
              .isNull();
        }
      }
    }
    return counts;
  }

  @Test
  void aBadQueueIsOneLine() {
    Outcome outcome = yarnSession("-d", "-Dyarn.application.queue=nope");
    assertThat(outcome.code()).isEqualTo(1);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err())
        .startsWith("baton yarn-session: yarn.application.queue 'nope'")
        .contains("no such queue");
  }

  @Test
  void anImpossibleMemoryRequestIsOneLine() {
    Outcome outcome = yarnSession("-d", "-Dtaskmanager.memory.process.size=100g");
    assertThat(outcome.code()).isEqualTo(1);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err())
        .startsWith("baton yarn-session: taskmanager.memory.process.size 100g (102400 MB)")
        .contains("largest container");
  }

  private record Outcome(int code, String err) {}

  private static Outcome yarnSession(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    YarnSessionCli cli =
        new YarnSessionCli(new PrintWriter(out, true), Map.of(), yarn.configuration());
    String[] all = new String[args.length + 4];
    all[0] = "--lib";
    all[1] = lib.toString();
    all[2] = "--conf";
    all[3] = conf.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    int code = YarnSessionCli.execute(cli, new PrintWriter(err, true), all);
    return new Outcome(code, err.toString());
  }
}
