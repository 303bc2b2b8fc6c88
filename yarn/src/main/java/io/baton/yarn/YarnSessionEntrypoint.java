package io.baton.yarn;

import io.baton.common.config.Configuration;
import io.baton.common.config.ConfigurationLoader;
import io.baton.common.config.ErrorLines;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.JobManagerOptions;
import io.baton.common.config.KnownOptions;
import io.baton.common.config.ResourceManagerOptions;
import io.baton.common.config.RestOptions;
import io.baton.common.config.YarnOptions;
import io.baton.coordinator.JobManager;
import io.baton.coordinator.blob.LocalBlobStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.service.Service;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ApplicationMaster of a YARN session: in the container YARN starts for it, with the
 * distribution localized as {@code lib/} and {@code conf/} and the client's Hadoop configuration as
 * {@code hadoop-conf/}, it runs a JobManager (REST and RPC) whose TaskManagers are YARN containers,
 * registers with the YARN ResourceManager (tracking URL = the REST address).
 *
 * <p>With ZooKeeper high availability it is one of {@code yarn.application-attempts} attempts:
 * {@code high-availability.cluster-id} defaults to the application id, so every attempt finds the
 * same jobs in ZooKeeper and storage, and the TaskManager containers of a failed attempt are kept
 * (the deployer asks YARN to) and taken over by the next one ({@link PreviousAttemptContainers}).
 * Only an end for good may unregister the application or delete its HA data and staging directory;
 * this process never does on its own: a failed start exits with code 1 and one line on stderr, a
 * SIGTERM (a NodeManager going down, YARN's kill) closes the JobManager (its jobs stay in ZooKeeper
 * and storage) and exits. Unregistering there would end the application for good and its next
 * attempt would never come; Flink's users lost their jobs' state where an ApplicationMaster cleaned
 * up HA data on a failure or a lost leadership that was not the end (FLINK-19154, FLINK-25486,
 * FLINK-6646).
 */
public final class YarnSessionEntrypoint {
  private static final Logger LOG = LoggerFactory.getLogger(YarnSessionEntrypoint.class);
  private static final String PREFIX = "baton yarn-session master: ";

  /** The environment variable naming the session's staging directory on the cluster. */
  public static final String STAGING_DIR_ENV = "BATON_STAGING_DIR";

  /**
   * Application mode: the job's {@code main()} arguments (a JSON array of strings, in base64); its
   * jar is localized as {@link #APPLICATION_JAR}. Unset: a session.
   */
  public static final String APPLICATION_ARGS_ENV = "BATON_APPLICATION_ARGS";

  /** The name the application's job jar is localized under. */
  public static final String APPLICATION_JAR = "job.jar";

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final PreviousAttemptContainers previousAttempt = new PreviousAttemptContainers();
  // set by DELETE /cluster only: the one way this process ends the application for good
  private volatile boolean endForGood;
  // application mode: how the job ended
  private volatile ApplicationRun.Outcome applicationOutcome;
  private Configuration config;
  private YarnConfiguration yarnConfig;
  private String stagingDir;
  private AMRMClientAsync<ContainerRequest> resourceManager;
  private JobManager jobManager;

  private YarnSessionEntrypoint() {}

  public static void main(String[] args) throws InterruptedException {
    YarnSessionEntrypoint master = new YarnSessionEntrypoint();
    try {
      master.start(System.getenv());
    } catch (Exception e) {
      LOG.error("The ApplicationMaster failed to start", e);
      System.err.println(PREFIX + ErrorLines.firstLine(e));
      // no unregistration: YARN counts the failed attempt and, if one is left, starts the next
      master.closeJobManager();
      System.exit(1);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  master.stopRequested.countDown();
                  try {
                    stopped.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "baton-yarn-master-shutdown"));
    master.stopRequested.await();
    ApplicationRun.Outcome outcome = master.applicationOutcome;
    if (outcome != null) {
      master.end(outcome.status(), outcome.diagnostics());
    } else if (master.endForGood) {
      master.end(FinalApplicationStatus.SUCCEEDED, "stopped by its user (DELETE /cluster)");
    } else {
      master.closeJobManager();
    }
    stopped.countDown();
  }

  private void start(Map<String, String> env) throws Exception {
    String host = required(env, Environment.NM_HOST.name());
    stagingDir = required(env, STAGING_DIR_ENV);
    ApplicationAttemptId attempt =
        ContainerId.fromString(required(env, Environment.CONTAINER_ID.name()))
            .getApplicationAttemptId();
    config =
        new ConfigurationLoader(KnownOptions.baton())
            .load(
                Path.of("conf"),
                Map.of(
                    JobManagerOptions.ADDRESS.key(),
                    host,
                    JobManagerOptions.PORT.key(),
                    "0",
                    RestOptions.ADDRESS.key(),
                    host,
                    RestOptions.PORT.key(),
                    "0"));
    if (!config.contains(HighAvailabilityOptions.CLUSTER_ID)) {
      // every attempt of this application, and only this application, sees the same HA data
      config.set(HighAvailabilityOptions.CLUSTER_ID, attempt.getApplicationId().toString());
    }
    LOG.info(
        "ApplicationMaster attempt {} of application {}; high-availability {} with cluster-id {}",
        attempt.getAttemptId(),
        attempt.getApplicationId(),
        config.get(HighAvailabilityOptions.TYPE),
        config.get(HighAvailabilityOptions.CLUSTER_ID));
    yarnConfig = new YarnConfiguration();
    ForwardingCallbacks callbacks = new ForwardingCallbacks();
    // registered once the REST port is known: the drivers of leadership sessions get the client
    // now but ask for no container before the registration told which ones the previous attempt
    // left (their resource managers wait for recoveredWorkers())
    resourceManager = AMRMClientAsync.createAMRMClientAsync(1000, callbacks);
    callbacks.attach(resourceManager);
    YarnWorkerSpec spec = workerSpec(config, stagingDir);
    callbacks.forwardTo(new StopOnShutdownRequest(stopRequested));
    LocalBlobStore blobs = LocalBlobStore.inTmpDirs(config);
    jobManager =
        JobManager.builder(config, blobs)
            .clusterShutdown(
                () -> {
                  endForGood = true;
                  stopRequested.countDown();
                })
            .workerDrivers(
                port ->
                    new YarnWorkerDriver(
                        yarnConfig, resourceManager, callbacks, previousAttempt, spec, port))
            .start();
    String restUrl = "http://" + host + ":" + jobManager.restPort();
    resourceManager.init(yarnConfig);
    resourceManager.start();
    RegisterApplicationMasterResponse registration;
    try {
      registration = resourceManager.registerApplicationMaster(host, jobManager.rpcPort(), restUrl);
    } catch (Exception e) {
      previousAttempt.registrationFailed(e);
      throw e;
    }
    List<Container> kept = registration.getContainersFromPreviousAttempts();
    previousAttempt.reported(kept);
    LOG.info(
        "Session ApplicationMaster registered; REST at {}; {} containers kept from the previous"
            + " attempt",
        restUrl,
        kept == null ? 0 : kept.size());
    String applicationArgs = env.get(APPLICATION_ARGS_ENV);
    if (applicationArgs != null) {
      startApplication(blobs, ApplicationArgs.parse(applicationArgs));
    }
  }

  /** Application mode: runs the shipped job on a thread of its own; its end ends this process. */
  private void startApplication(LocalBlobStore blobs, List<String> args) {
    ApplicationRun run =
        new ApplicationRun(jobManager, blobs, config, Path.of(APPLICATION_JAR), args);
    Thread thread =
        new Thread(
            () -> {
              try {
                applicationOutcome = run.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              } catch (RuntimeException e) {
                LOG.error("The application's job could not be run", e);
                applicationOutcome =
                    new ApplicationRun.Outcome(
                        FinalApplicationStatus.FAILED, ErrorLines.firstLine(e));
              }
              stopRequested.countDown();
            },
            "baton-application");
    thread.setDaemon(true);
    thread.start();
  }

  /** TaskManager containers: Flink's sizes, this container's Java and the localized lib/. */
  static YarnWorkerSpec workerSpec(Configuration config, String stagingDir) {
    int memoryMb = YarnOptions.parseMemoryMb(config.get(YarnOptions.TASK_MANAGER_PROCESS_SIZE));
    String configured = config.get(ResourceManagerOptions.TASK_MANAGER_JVM_OPTIONS);
    List<String> jvmOptions = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      jvmOptions.addAll(Arrays.asList(configured.trim().split("\\s+")));
    }
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
      jvmOptions.add("-Xmx" + heapMb(memoryMb) + "m");
    }
    return new YarnWorkerSpec(
        memoryMb,
        config.get(YarnOptions.CONTAINER_VCORES),
        Environment.JAVA_HOME.$$() + "/bin/java",
        "lib/*",
        jvmOptions,
        stagingDir,
        config.toMap(),
        stagingDir + "/lib");
  }

  /** The heap of a JVM in a container of {@code processMb}: three quarters of it. */
  public static int heapMb(int processMb) {
    return Math.max(64, processMb * 3 / 4);
  }

  /**
   * Ends the application for good, as its user asked or as its job ended (application mode): the
   * jobs cancelled, HA data and staging directory deleted ({@link SessionEnd}), then unregistered
   * with {@code status} and what was done as diagnostics, so YARN releases every container and
   * starts no other attempt.
   */
  private void end(FinalApplicationStatus status, String why) throws InterruptedException {
    String diagnostics = new SessionEnd(jobManager, config, stagingDir, yarnConfig).run(why);
    LOG.info("Unregistering the application {}: {}", status, diagnostics);
    try {
      resourceManager.unregisterApplicationMaster(status, diagnostics, "");
    } catch (Exception e) {
      LOG.warn("Could not unregister from the YARN ResourceManager: {}", e.toString());
    }
    resourceManager.stop();
  }

  /**
   * Closes the JobManager (its jobs are suspended, and stay in ZooKeeper and storage for the next
   * attempt) and the AM-RM client without unregistering: this is not the application's end.
   */
  private void closeJobManager() {
    if (jobManager != null) {
      jobManager.close();
    }
    if (resourceManager != null && resourceManager.isInState(Service.STATE.STARTED)) {
      resourceManager.stop();
    }
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          name + " is not set: this entry point runs in a YARN container started by the client");
    }
    return value;
  }

  /** Until a leadership session's driver takes over, a shutdown request from YARN stops it. */
  private static final class StopOnShutdownRequest extends AMRMClientAsync.AbstractCallbackHandler {
    private final CountDownLatch stop;

    StopOnShutdownRequest(CountDownLatch stop) {
      this.stop = stop;
    }

    @Override
    public void onShutdownRequest() {
      stop.countDown();
    }

    @Override
    public void onContainersCompleted(
        List<org.apache.hadoop.yarn.api.records.ContainerStatus> statuses) {}

    @Override
    public void onContainersAllocated(List<org.apache.hadoop.yarn.api.records.Container> c) {}

    @Override
    public void onContainersUpdated(
        List<org.apache.hadoop.yarn.api.records.UpdatedContainer> containers) {}

    @Override
    public void onNodesUpdated(List<org.apache.hadoop.yarn.api.records.NodeReport> nodes) {}

    @Override
    public float getProgress() {
      return 0;
    }

    @Override
    public void onError(Throwable e) {
      LOG.error("The AM-RM client failed", e);
    }
  }
}
