package io.baton.cli.yarn;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.config.ConfigOption;
import io.baton.common.config.ConfigurationLoader;
import io.baton.common.config.ErrorLines;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.KnownOptions;
import io.baton.common.config.YarnOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.QueueInfo;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * Deploys, finds and stops YARN sessions from the client's side: uploads {@code lib/} and {@code
 * conf/} to the application's staging directory, submits an application whose ApplicationMaster
 * ({@code io.baton.yarn.YarnSessionEntrypoint}) runs the JobManager, and waits until its REST API
 * answers. Every failure is a {@link YarnDeploymentException} of one line.
 */
public final class YarnSessionDeployer implements AutoCloseable {
  static final String MASTER_CLASS = "io.baton.yarn.YarnSessionEntrypoint";
  static final String STAGING_DIR_ENV = "BATON_STAGING_DIR";
  // as io.baton.yarn.YarnSessionEntrypoint reads them
  static final String APPLICATION_ARGS_ENV = "BATON_APPLICATION_ARGS";
  static final String APPLICATION_JAR = "job.jar";

  private final Configuration hadoopConf;
  private final YarnClient yarn;
  private final Duration startTimeout;

  /**
   * @param hadoopConf the cluster's client configuration (its ResourceManager, its default FS)
   * @param startTimeout how long a deployment may take until the session's REST API answers
   */
  public YarnSessionDeployer(Configuration hadoopConf, Duration startTimeout) {
    this.hadoopConf = hadoopConf;
    this.startTimeout = startTimeout;
    this.yarn = YarnClient.createYarnClient();
    yarn.init(hadoopConf);
    yarn.start();
  }

  /**
   * Starts a session from the distribution's {@code libDir} and the configuration in {@code
   * confDir} with {@code overrides} on top.
   */
  public YarnSession deploy(Path libDir, Path confDir, Map<String, String> overrides)
      throws InterruptedException {
    return deploy(libDir, confDir, overrides, null);
  }

  /**
   * Application mode: deploys as {@link #deploy} does, with {@code jar} shipped along, whose {@code
   * main(args)} the ApplicationMaster runs (in its program JVM) once its JobManager leads; the
   * application ends when that job ends. Returns the application id once YARN accepted it.
   */
  public String deployApplication(
      Path libDir, Path confDir, Map<String, String> overrides, Path jar, List<String> args)
      throws InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new YarnDeploymentException("jar file " + jar + " does not exist");
    }
    return deploy(libDir, confDir, overrides, new ApplicationJob(jar, List.copyOf(args)))
        .applicationId();
  }

  /** The job of an application: its jar and the arguments of its main(). */
  private record ApplicationJob(Path jar, List<String> args) {}

  private YarnSession deploy(
      Path libDir, Path confDir, Map<String, String> overrides, ApplicationJob job)
      throws InterruptedException {
    io.baton.common.config.Configuration config = load(confDir, overrides);
    if (!Files.isDirectory(libDir)) {
      throw new YarnDeploymentException("no lib directory at " + libDir);
    }
    String queue = config.get(YarnOptions.APPLICATION_QUEUE);
    StagingDirectory staging = null;
    ApplicationId appId = null;
    try {
      checkQueue(queue);
      YarnClientApplication app = yarn.createApplication();
      Resource largest = app.getNewApplicationResponse().getMaximumResourceCapability();
      int masterMb = checkedMemory(config, YarnOptions.JOB_MANAGER_PROCESS_SIZE, largest);
      checkedMemory(config, YarnOptions.TASK_MANAGER_PROCESS_SIZE, largest);
      ApplicationSubmissionContext context = app.getApplicationSubmissionContext();
      appId = context.getApplicationId();
      staging = StagingDirectory.of(hadoopConf, appId.toString());
      staging.upload(libDir, confDir, config.toMap(), hadoopConf);
      if (job != null) {
        staging.uploadFile(job.jar(), APPLICATION_JAR);
      }
      context.setApplicationName(config.get(YarnOptions.APPLICATION_NAME));
      context.setApplicationType("Baton");
      context.setQueue(queue);
      // with HA a second attempt recovers the jobs; the TaskManager containers of the failed
      // attempt stay up and register with it, so their tasks need not move
      context.setMaxAppAttempts(YarnOptions.applicationAttempts(config));
      context.setKeepContainersAcrossApplicationAttempts(true);
      context.setResource(Resource.newInstance(masterMb, 1));
      context.setAMContainerSpec(masterLaunch(staging, masterMb, confDir, job));
      yarn.submitApplication(context);
      if (job != null) {
        return new YarnSession(appId.toString(), null, staging.path());
      }
      URI restUrl = awaitRestApi(appId);
      return new YarnSession(appId.toString(), restUrl, staging.path());
    } catch (IOException | YarnException | RuntimeException e) {
      abandon(appId, staging);
      if (e instanceof YarnDeploymentException d) {
        throw d;
      }
      throw new YarnDeploymentException(
          "cannot deploy a session to YARN queue '" + queue + "': " + ErrorLines.firstLine(e), e);
    }
  }

  /** The REST API of running session {@code applicationId}, from YARN's application report. */
  public URI restUrl(String applicationId) {
    ApplicationReport report = report(parse(applicationId));
    String url = report.getOriginalTrackingUrl();
    if (report.getYarnApplicationState() != YarnApplicationState.RUNNING
        || url == null
        || url.isBlank()
        || url.equals("N/A")) {
      throw new YarnDeploymentException(
          "YARN application "
              + applicationId
              + " is "
              + report.getYarnApplicationState()
              + ", not a running session");
    }
    return URI.create(url.contains("://") ? url : "http://" + url);
  }

  /**
   * The REST API of running session {@code applicationId} on the cluster of the classpath's
   * configuration.
   */
  public static URI sessionRestUrl(String applicationId) {
    try (YarnSessionDeployer deployer =
        new YarnSessionDeployer(new YarnConfiguration(), Duration.ofSeconds(30))) {
      return deployer.restUrl(applicationId);
    }
  }

  /**
   * Ends session {@code applicationId} for good: asks its JobManager to ({@code DELETE /cluster}:
   * it cancels the running jobs, deletes its HA data and staging directory and unregisters, so YARN
   * releases its containers) and waits until YARN reports the application ended. When the
   * JobManager does not answer or the application does not end within the timeout, it is killed
   * through YARN instead, its HA data then kept. The staging directory is deleted either way.
   *
   * @return one line saying what happened
   */
  public String stop(String applicationId) throws InterruptedException {
    ApplicationId appId = parse(applicationId);
    try {
      ApplicationReport report = report(appId);
      String outcome;
      if (isFinal(report.getYarnApplicationState())) {
        outcome =
            "YARN application "
                + applicationId
                + " had ended already ("
                + report.getYarnApplicationState()
                + ")";
      } else {
        outcome = stopGracefully(appId);
        if (outcome == null) {
          yarn.killApplication(appId);
          awaitEnd(appId);
          outcome =
              "YARN application "
                  + applicationId
                  + " did not stop within "
                  + startTimeout.toSeconds()
                  + " s of DELETE /cluster; killed it (its jobs were not cancelled, their HA data"
                  + " in ZooKeeper and storage is kept)";
        }
      }
      StagingDirectory.of(hadoopConf, applicationId).delete();
      return outcome + "; staging files deleted";
    } catch (IOException | YarnException e) {
      throw new YarnDeploymentException(
          "cannot stop YARN application " + applicationId + ": " + ErrorLines.firstLine(e), e);
    }
  }

  /** DELETE /cluster and the wait for the end; null when it did not end that way. */
  private String stopGracefully(ApplicationId appId) throws InterruptedException {
    Instant deadline = Instant.now().plus(startTimeout);
    try {
      new RestProbe().requestShutdown(restUrl(appId.toString()));
    } catch (YarnDeploymentException e) {
      return null;
    }
    while (!isFinal(report(appId).getYarnApplicationState())) {
      if (!Pause.before(deadline)) {
        return null;
      }
    }
    ApplicationReport report = report(appId);
    return "Stopped YARN application "
        + appId
        + " ("
        + report.getFinalApplicationStatus()
        + "): "
        + firstLine(report.getDiagnostics());
  }

  private void awaitEnd(ApplicationId appId) throws InterruptedException {
    Instant deadline = Instant.now().plus(startTimeout);
    while (!isFinal(report(appId).getYarnApplicationState())) {
      if (!Pause.before(deadline)) {
        throw new YarnDeploymentException(
            "YARN application " + appId + " did not end within " + startTimeout);
      }
    }
  }

  /** Whether {@code applicationId}'s staging directory is still there. */
  public boolean hasStagingFiles(String applicationId) throws IOException {
    return StagingDirectory.of(hadoopConf, applicationId).exists();
  }

  @Override
  public void close() {
    yarn.stop();
  }

  private void checkQueue(String queue) throws IOException, YarnException {
    QueueInfo info;
    try {
      info = yarn.getQueueInfo(queue);
    } catch (IOException | YarnException e) {
      info = null;
    }
    if (info == null) {
      throw new YarnDeploymentException(
          YarnOptions.APPLICATION_QUEUE.key()
              + " '"
              + queue
              + "': the YARN ResourceManager at "
              + hadoopConf.get("yarn.resourcemanager.address")
              + " has no such queue");
    }
  }

  private static int checkedMemory(
      io.baton.common.config.Configuration config, ConfigOption<String> option, Resource largest) {
    String value = config.get(option);
    int mb = YarnOptions.parseMemoryMb(value);
    if (mb > largest.getMemorySize()) {
      throw new YarnDeploymentException(
          option.key()
              + " "
              + value
              + " ("
              + mb
              + " MB) is more than the largest container this YARN cluster grants, "
              + largest.getMemorySize()
              + " MB (yarn.scheduler.maximum-allocation-mb)");
    }
    return mb;
  }

  private ContainerLaunchContext masterLaunch(
      StagingDirectory staging, int memoryMb, Path confDir, ApplicationJob job) throws IOException {
    String logDir = ApplicationConstants.LOG_DIR_EXPANSION_VAR;
    String log4j =
        Files.isRegularFile(confDir.resolve("log4j2.properties"))
            ? " -Dlog4j2.configurationFile=conf/log4j2.properties"
            : "";
    String command =
        Environment.JAVA_HOME.$$()
            + "/bin/java -Xmx"
            + Math.max(64, memoryMb * 3 / 4)
            + "m"
            + log4j
            + " -Dbaton.log.file="
            + logDir
            + "/jobmanager.log"
            // quoted: the launch script's shell must not expand the wildcard
            + " -cp '"
            + StagingDirectory.HADOOP_CONF
            + ":"
            + StagingDirectory.LIB
            + "/*' "
            + MASTER_CLASS
            + " 1>"
            + logDir
            + "/jobmanager.out 2>"
            + logDir
            + "/jobmanager.err";
    Map<String, LocalResource> resources = new HashMap<>();
    for (String dir :
        List.of(StagingDirectory.LIB, StagingDirectory.CONF, StagingDirectory.HADOOP_CONF)) {
      resources.put(dir, staging.resource(dir));
    }
    Map<String, String> env = new HashMap<>();
    env.put(STAGING_DIR_ENV, staging.path());
    if (job != null) {
      resources.put(APPLICATION_JAR, staging.resource(APPLICATION_JAR));
      // base64: YARN writes environment values into its launch script without escaping quotes
      env.put(
          APPLICATION_ARGS_ENV,
          Base64.getEncoder()
              .encodeToString(
                  new ObjectMapper()
                      .writeValueAsString(job.args())
                      .getBytes(StandardCharsets.UTF_8)));
    }
    return ContainerLaunchContext.newInstance(resources, env, List.of(command), null, null, null);
  }

  private URI awaitRestApi(ApplicationId appId) throws InterruptedException {
    Instant deadline = Instant.now().plus(startTimeout);
    RestProbe probe = new RestProbe();
    while (true) {
      ApplicationReport report = report(appId);
      if (isFinal(report.getYarnApplicationState())) {
        throw new YarnDeploymentException(
            "YARN application "
                + appId
                + " ended "
                + report.getYarnApplicationState()
                + " before its REST API answered: "
                + firstLine(report.getDiagnostics()));
      }
      if (report.getYarnApplicationState() == YarnApplicationState.RUNNING) {
        URI url = restUrlOrNull(report);
        if (url != null && probe.answers(url)) {
          return url;
        }
      }
      if (!Pause.before(deadline)) {
        throw new YarnDeploymentException(
            "the REST API of YARN application "
                + appId
                + " did not answer within "
                + startTimeout
                + " (state "
                + report.getYarnApplicationState()
                + ")");
      }
    }
  }

  private static URI restUrlOrNull(ApplicationReport report) {
    String url = report.getOriginalTrackingUrl();
    if (url == null || url.isBlank() || url.equals("N/A")) {
      return null;
    }
    return URI.create(url.contains("://") ? url : "http://" + url);
  }

  private void abandon(ApplicationId appId, StagingDirectory staging) {
    try {
      if (appId != null) {
        yarn.killApplication(appId);
      }
    } catch (IOException | YarnException | RuntimeException ignored) {
      // never submitted, or ended already
    }
    try {
      if (staging != null) {
        staging.delete();
      }
    } catch (IOException | RuntimeException ignored) {
      // nothing uploaded
    }
  }

  private ApplicationReport report(ApplicationId appId) {
    try {
      return yarn.getApplicationReport(appId);
    } catch (IOException | YarnException e) {
      throw new YarnDeploymentException(
          "no report of YARN application " + appId + ": " + ErrorLines.firstLine(e), e);
    }
  }

  private static ApplicationId parse(String applicationId) {
    try {
      return ApplicationId.fromString(applicationId);
    } catch (IllegalArgumentException e) {
      throw new YarnDeploymentException(
          "'" + applicationId + "' is no YARN application id (application_<timestamp>_<n>)");
    }
  }

  private static io.baton.common.config.Configuration load(
      Path confDir, Map<String, String> overrides) {
    try {
      return new ConfigurationLoader(KnownOptions.baton()).load(confDir, overrides);
    } catch (IllegalConfigurationException e) {
      throw new YarnDeploymentException(e.getMessage(), e);
    }
  }

  private static boolean isFinal(YarnApplicationState state) {
    return state == YarnApplicationState.FINISHED
        || state == YarnApplicationState.FAILED
        || state == YarnApplicationState.KILLED;
  }

  private static String firstLine(String text) {
    return text == null || text.isBlank() ? "(no diagnostics)" : ErrorLines.firstLine(text);
  }
}
