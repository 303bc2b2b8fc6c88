package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.RestOptions;
import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.JobId;
import io.baton.coordinator.blob.LocalBlobStore;
import io.baton.coordinator.program.TestJars;
import io.baton.coordinator.program.TestJobs;
import io.baton.coordinator.rest.FakeDispatcher;
import io.baton.coordinator.rest.RestServer;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.TaskManagerDetails;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatonCliTest {
  private static final Pattern SUBMITTED =
      Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");

  @TempDir Path dir;

  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private RestServer server;
  private String jobManager;
  private Path goodJar;

  @BeforeEach
  void startServer() throws Exception {
    Configuration conf =
        new Configuration().set(RestOptions.BIND_ADDRESS, "127.0.0.1").set(RestOptions.PORT, 0);
    server =
        new RestServer(
            conf,
            dispatcher,
            new LocalBlobStore(dir.resolve("blobs")),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    jobManager = "127.0.0.1:" + server.start();
    goodJar = TestJars.jobJar(dir.resolve("wordcount.jar"), TestJobs.Good.class);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void runDetachedPrintsTheJobIdAndReturns() {
    int exit = cli("run", "-d", "-p", "2", "--jobmanager", jobManager, goodJar.toString(), "wc");

    assertThat(exit).isZero();
    JobId id = submittedJobId();
    assertThat(out.toString()).isEqualTo("Job has been submitted with JobID " + id + "\n");
    assertThat(err.toString()).isEmpty();
    assertThat(dispatcher.submissions).hasSize(1);
    assertThat(dispatcher.submissions.get(0).graph().name()).isEqualTo("wc");
  }

  @Test
  void runPassesOptionsAfterTheJarToTheJob() {
    int exit =
        cli(
            "run",
            "-d",
            "--jobmanager",
            jobManager,
            "-c",
            TestJobs.Good.class.getName(),
            goodJar.toString(),
            "--input",
            "-x");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(dispatcher.submissions.get(0).graph().name()).isEqualTo("--input -x");
  }

  @Test
  void runFollowsTheJobUntilItFinishes() throws Exception {
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () -> cli("run", "--jobmanager", jobManager, goodJar.toString()));
    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("RUNNING tasks"));
    JobId id = submittedJobId();

    dispatcher.update(id, JobStatus.RUNNING, ExecutionState.RUNNING, 10, 5, null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> out.toString().contains("RUNNING tasks running 4/4, records in 20 out 10"));
    dispatcher.update(id, JobStatus.FINISHED, ExecutionState.FINISHED, 30, 30, null);

    assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString().lines())
        .containsExactly(
            "Job has been submitted with JobID " + id,
            "RUNNING tasks running 0/4, records in 0 out 0",
            "RUNNING tasks running 4/4, records in 20 out 10",
            "FINISHED tasks running 0/4, records in 60 out 60",
            "Job " + id + " has finished.");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void runExitsWithOneAndTheCauseWhenTheJobFails() throws Exception {
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () -> cli("run", "--jobmanager", jobManager, goodJar.toString()));
    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("RUNNING tasks"));
    JobId id = submittedJobId();

    dispatcher.update(
        id,
        JobStatus.FAILED,
        ExecutionState.FAILED,
        0,
        0,
        "java.lang.IllegalStateException: bad record\n\tat Job.map(Job.java:12)");

    assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("baton: job " + id + " failed: java.lang.IllegalStateException: bad record\n");
  }

  @Test
  void runExitsWithOneWhenTheJobIsCanceled() throws Exception {
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () -> cli("run", "--jobmanager", jobManager, goodJar.toString()));
    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("RUNNING tasks"));
    JobId id = submittedJobId();

    dispatcher.cancelJob(id);

    assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("baton: job " + id + " was canceled\n");
  }

  @Test
  void listShowsOneLinePerJob() {
    assertThat(cli("list", "--jobmanager", jobManager)).isZero();
    assertThat(out.toString()).isEqualTo("No jobs.\n");

    out.getBuffer().setLength(0);
    cli("run", "-d", "--jobmanager", jobManager, goodJar.toString(), "first");
    cli("run", "-d", "--jobmanager", jobManager, goodJar.toString(), "second");
    out.getBuffer().setLength(0);

    assertThat(cli("list", "--jobmanager", jobManager)).isZero();
    assertThat(out.toString().lines())
        .hasSize(2)
        .allMatch(l -> l.matches("[0-9a-f]{32}\t(first|second)\tRUNNING\t2023-11-14T22:13:20Z"));
  }

  @Test
  void cancelRequestsCancellation() {
    cli("run", "-d", "--jobmanager", jobManager, goodJar.toString());
    JobId id = submittedJobId();
    out.getBuffer().setLength(0);

    assertThat(cli("cancel", "--jobmanager", jobManager, id.value())).isZero();
    assertThat(out.toString()).isEqualTo("Cancelling job " + id + ".\n");
    assertThat(dispatcher.status(id)).isEqualTo(JobStatus.CANCELED);
  }

  @Test
  void cancelRejectsBadAndUnknownIds() {
    JobId unknown = JobId.random();

    assertThat(cli("cancel", "--jobmanager", jobManager, "nope")).isEqualTo(1);
    assertThat(cli("cancel", "--jobmanager", jobManager, unknown.value())).isEqualTo(1);

    assertThat(err.toString().lines())
        .containsExactly(
            "baton: invalid job id 'nope': expected 32 hex digits",
            "baton: job " + unknown + " not found");
  }

  @Test
  void infoShowsTheCluster() {
    dispatcher.addTaskManager(
        new TaskManagerDetails("tm-1", "127.0.0.1:6124", 0, 4, 3, 8, 1L << 30, 10, 100));
    cli("run", "-d", "--jobmanager", jobManager, goodJar.toString());
    out.getBuffer().setLength(0);

    assertThat(cli("info", "--jobmanager", jobManager)).isZero();

    // the leader lines depend on the JobManager's GET /ha (see BatonCliHaTest)
    assertThat(out.toString().lines())
        .containsSubsequence(
            "JobManager    " + jobManager + " (REST)",
            "TaskManagers  1",
            "Slots         4 total, 3 available",
            "Jobs          1 running, 0 finished, 0 cancelled, 0 failed",
            "Version       dev")
        .anyMatch(line -> line.startsWith("Leader        "));
  }

  @Test
  void readsTheRestAddressFromTheConfiguration() throws Exception {
    Path conf = Files.createDirectory(dir.resolve("conf"));
    String port = jobManager.substring(jobManager.indexOf(':') + 1);
    Files.writeString(
        conf.resolve("baton-conf.yaml"), "rest.address: 127.0.0.1\nrest:\n  port: " + port + "\n");

    assertThat(cli("list", "--conf", conf.toString())).isZero();
    assertThat(cliWithEnv(Map.of("BATON_CONF_DIR", conf.toString()), "list")).isZero();

    assertThat(out.toString()).isEqualTo("No jobs.\nNo jobs.\n");
  }

  @Test
  void aMissingJarIsOneLine() {
    Path missing = dir.resolve("missing.jar");

    assertThat(cli("run", "--jobmanager", jobManager, missing.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("baton: jar file " + missing + " does not exist\n");
  }

  @Test
  void theServersErrorIsShownAsIs() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "hello");
    Path library = TestJars.jobJar(dir.resolve("lib.jar"), null);

    assertThat(cli("run", "--jobmanager", jobManager, notes.toString())).isEqualTo(1);
    assertThat(cli("run", "--jobmanager", jobManager, library.toString())).isEqualTo(1);

    assertThat(err.toString().lines())
        .containsExactly(
            "baton: not a jar file: notes.txt",
            "baton: no main class: lib.jar has no Main-Class in its manifest and none was given"
                + " with -c/entryClass");
    assertThat(dispatcher.submissions).isEmpty();
  }

  @Test
  void anUnreachableJobManagerIsOneLine() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    assertThat(cli("list", "--jobmanager", "127.0.0.1:" + closedPort)).isEqualTo(1);

    assertThat(err.toString())
        .isEqualTo(
            "baton: no JobManager answers at 127.0.0.1:"
                + closedPort
                + " (is the cluster running? bin/start-cluster.sh)\n");
    assertThat(err.toString().lines()).hasSize(1);
  }

  @Test
  void usageErrorsExitWithOne() {
    assertThat(cli("run", "--jobmanager", jobManager)).isEqualTo(1);
    assertThat(cli("list", "--jobmanager", "no-port")).isEqualTo(1);
    assertThat(cli("frobnicate")).isEqualTo(1);

    assertThat(err.toString().lines())
        .containsExactly(
            "baton: Missing required parameter: 'JAR' (see 'baton run --help')",
            "baton: --jobmanager expects HOST:PORT, got 'no-port'",
            "baton: Unmatched argument at index 0: 'frobnicate' (see 'baton --help')");
  }

  private int cli(String... args) {
    return cliWithEnv(Map.of(), args);
  }

  private int cliWithEnv(Map<String, String> env, String... args) {
    return new BatonCli(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            env,
            Duration.ofMillis(20),
            Clock.systemUTC())
        .execute(args);
  }

  private JobId submittedJobId() {
    Matcher m = SUBMITTED.matcher(out.toString());
    assertThat(m.find()).as(out.toString()).isTrue();
    return JobId.parse(m.group(1));
  }
}
