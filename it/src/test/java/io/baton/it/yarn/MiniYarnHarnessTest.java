package io.baton.it.yarn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YARN harness the YARN tests build on: its NodeManagers launch real container JVMs that reach
 * its ResourceManager through the harness's Hadoop conf directory.
 */
class MiniYarnHarnessTest {
  @TempDir static Path workDir;
  private static MiniYarn cluster;

  @BeforeAll
  static void startClusters() throws Exception {
    cluster = MiniYarn.start(workDir, 1);
  }

  @AfterAll
  static void stopClusters() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anApplicationMasterRunsInAContainerJvmOfItsOwnAndFinishes() throws Exception {
    Path pidFile = workDir.resolve("am.pid");
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(cluster.configuration());
      yarn.start();
      YarnClientApplication app = yarn.createApplication();
      ApplicationSubmissionContext context = app.getApplicationSubmissionContext();
      context.setApplicationName("harness check");
      context.setMaxAppAttempts(1);
      context.setResource(Resource.newInstance(256, 1));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String classpath =
          cluster.confDir() + File.pathSeparator + System.getProperty("java.class.path");
      String command =
          String.join(
              " ",
              java,
              "-Xmx128m",
              "-cp",
              classpath,
              ExitingApplicationMaster.class.getName(),
              pidFile.toString(),
              "1>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/am.out",
              "2>" + ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/am.err");
      context.setAMContainerSpec(
          ContainerLaunchContext.newInstance(
              Map.of(), Map.of(), List.of(command), null, null, null));
      ApplicationId id = yarn.submitApplication(context);

      org.awaitility.Awaitility.await("application " + id + " ended")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> isFinal(yarn.getApplicationReport(id).getYarnApplicationState()));
      ApplicationReport report = yarn.getApplicationReport(id);

      assertThat(report.getYarnApplicationState())
          .as("application %s: %s", id, report.getDiagnostics())
          .isEqualTo(YarnApplicationState.FINISHED);
      assertThat(report.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
      long amPid = Long.parseLong(Files.readString(pidFile).trim());
      assertThat(amPid).as("the AM's own JVM").isNotEqualTo(ProcessHandle.current().pid());
    }
  }

  private static boolean isFinal(YarnApplicationState state) {
    return state == YarnApplicationState.FINISHED
        || state == YarnApplicationState.FAILED
        || state == YarnApplicationState.KILLED;
  }
}
