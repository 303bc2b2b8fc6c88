package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.config.Configuration;
import io.baton.coordinator.JobManager;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.it.yarn.MiniYarn;
import io.baton.yarn.ForwardingCallbacks;
import io.baton.yarn.PreviousAttemptContainers;
import io.baton.yarn.YarnWorkerDriver;
import io.baton.yarn.YarnWorkerSpec;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationAttemptState;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YARN worker driver on a real (mini) YARN cluster: a JobManager in this JVM, registered as an
 * unmanaged ApplicationMaster, gets TaskManager containers (real JVMs started by the NodeManagers)
 * for Ledger's slots, replaces one whose JVM is SIGKILLed, and gives idle ones back.
 */
class YarnWorkerDriverTest {
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path workDir;
  private MiniYarn yarn;
  private YarnClient client;
  private AMRMClientAsync<ContainerRequest> applicationMaster;
  private JobManager jobManager;

  @AfterEach
  void tearDown() throws Exception {
    if (jobManager != null) {
      jobManager.close();
    }
    if (applicationMaster != null) {
      applicationMaster.unregisterApplicationMaster(FinalApplicationStatus.SUCCEEDED, "", "");
      applicationMaster.stop();
    }
    if (client != null) {
      client.stop();
    }
    if (yarn != null) {
      yarn.close();
    }
  }

  @Test
  void containersAreRequestedForTheJobReplacedWhenKilledAndReturnedWhenIdle() throws Exception {
    yarn = MiniYarn.start(workDir.resolve("yarn"), 2);
    ApplicationId appId = registerUnmanagedApplicationMaster();

    Configuration config =
        ClusterConfigs.jobManager(workDir)
            .setString("resourcemanager.taskmanager-timeout", IDLE_TIMEOUT.toSeconds() + " s")
            .setString("taskmanager.numberOfTaskSlots", "2")
            .setString("taskmanager.host", "127.0.0.1")
            .setString("taskmanager.bind-host", "127.0.0.1")
            .setString("slot.request.timeout", "120 s");
    ForwardingCallbacks callbacks = forwarding;
    YarnWorkerSpec spec =
        new YarnWorkerSpec(
            512,
            1,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            System.getProperty("java.class.path"),
            List.of("-Xmx256m", "-XX:+UseSerialGC"),
            yarn.hdfs().namenode() + "/baton-staging/" + appId,
            config.toMap(),
            null);
    jobManager =
        JobManager.builder(config, LocalBlobStore.inTmpDirs(config))
            .workerDrivers(
                port ->
                    new YarnWorkerDriver(
                        yarn.configuration(),
                        applicationMaster,
                        callbacks,
                        PreviousAttemptContainers.none(),
                        spec,
                        port))
            .start();
    RestApi rest = new RestApi("127.0.0.1", jobManager.restPort());

    LedgerJob ledger = new LedgerJob(200_000, 11, 20_000, 0, workDir.resolve("ledger-out"));
    String jobId = ledger.submit(rest, 4);
    Awaits.until(
        "records flowing",
        Duration.ofSeconds(120),
        () -> StartedWorkers.recordsWritten(rest, jobId) > 20_000);
    Set<String> first = StartedWorkers.registered(rest);
    assertThat(first).as("4 slots in containers of 2 slots each").hasSize(2);
    List<ProcessHandle> containers = taskManagerJvms();
    assertThat(containers).hasSize(2);

    ProcessHandle victim = containers.get(0);
    victim.destroyForcibly();
    victim.onExit().get(30, TimeUnit.SECONDS);

    Awaits.until(
        "a replacement container's TaskManager registered",
        Duration.ofSeconds(120),
        () -> {
          Set<String> now = StartedWorkers.registered(rest);
          return now.size() == 2 && !now.equals(first);
        });
    Awaits.jobState(rest, jobId, "FINISHED", Duration.ofMinutes(3));
    ledger.assertExactlyOnce();

    Awaits.until(
        "idle containers returned",
        IDLE_TIMEOUT.plusSeconds(60),
        () -> taskManagerJvms().isEmpty());
    assertThat(rest.getOk("/overview").get("taskmanagers").asInt()).isZero();
  }

  private ForwardingCallbacks forwarding;

  /** Submits an application whose ApplicationMaster is this JVM, and registers it. */
  private ApplicationId registerUnmanagedApplicationMaster() throws Exception {
    client = YarnClient.createYarnClient();
    client.init(yarn.configuration());
    client.start();
    YarnClientApplication app = client.createApplication();
    ApplicationSubmissionContext context = app.getApplicationSubmissionContext();
    context.setApplicationName("baton yarn driver test");
    context.setUnmanagedAM(true);
    context.setResource(Resource.newInstance(256, 1));
    context.setAMContainerSpec(
        ContainerLaunchContext.newInstance(Map.of(), Map.of(), List.of(), null, null, null));
    ApplicationId appId = client.submitApplication(context);
    Awaits.until(
        "the unmanaged attempt of " + appId + " launched",
        Duration.ofSeconds(60),
        () -> {
          ApplicationAttemptId attempt =
              client.getApplicationReport(appId).getCurrentApplicationAttemptId();
          return attempt != null
              && client.getApplicationAttemptReport(attempt).getYarnApplicationAttemptState()
                  == YarnApplicationAttemptState.LAUNCHED;
        });
    UserGroupInformation.getCurrentUser().addToken(client.getAMRMToken(appId));
    forwarding = new ForwardingCallbacks();
    applicationMaster =
        UserGroupInformation.getCurrentUser()
            .doAs(
                (PrivilegedExceptionAction<AMRMClientAsync<ContainerRequest>>)
                    () -> {
                      AMRMClientAsync<ContainerRequest> am =
                          AMRMClientAsync.createAMRMClientAsync(200, forwarding);
                      forwarding.attach(am);
                      am.init(yarn.configuration());
                      am.start();
                      am.registerApplicationMaster("127.0.0.1", 0, "");
                      return am;
                    });
    return appId;
  }

  /** The TaskManager JVMs the NodeManagers started (this JVM's descendants). */
  private static List<ProcessHandle> taskManagerJvms() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                StartedWorkers.commandLine(p)
                    .contains("io.baton.taskmanager.TaskManagerEntrypoint"))
        .filter(p -> !StartedWorkers.commandLine(p).startsWith("bash"))
        .filter(p -> !StartedWorkers.commandLine(p).startsWith("/bin/bash"))
        .toList();
  }
}
