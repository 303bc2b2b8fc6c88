package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.config.StorageUriForm;
import io.baton.common.ids.JobId;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.coordinator.JobManagerTestCluster;
import io.baton.coordinator.program.TestJars;
import io.baton.coordinator.program.TestJobs;
import io.baton.coordinator.rest.TestHttp;
import io.baton.coordinator.status.JobStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Savepoints from the command line: {@code baton savepoint}, {@code cancel -s} and {@code run -s}
 * against a JobManager with REST and fake TaskManagers that write state (the REST side:
 * CheckpointRestTest in the coordinator).
 */
class SavepointCliTest {
  private static final Pattern SAVEPOINT_PATH = Pattern.compile("Path: (\\S+)");

  @TempDir Path blobDir;
  @TempDir Path checkpointDir;
  @TempDir Path savepointDir;
  private JobManagerTestCluster cluster;
  private TestHttp http;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    cluster = JobManagerTestCluster.checkpointing(blobDir, checkpointDir, savepointDir);
    http = new TestHttp(cluster.jobManager.restPort());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private int cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add(1, "--jobmanager");
    all.add(2, "127.0.0.1:" + cluster.jobManager.restPort());
    return new BatonCli(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Map.of(),
            Duration.ofMillis(20),
            Clock.systemUTC())
        .execute(all.toArray(String[]::new));
  }

  @Test
  void theCliTakesSavepointsCancelsWithOneAndRunsFromIt() throws Exception {
    JobId id = cluster.runningWordCount();

    assertThat(cli("savepoint", id.toString(), savepointDir.resolve("cli").toUri().toString()))
        .as(err.toString())
        .isZero();
    Matcher m = SAVEPOINT_PATH.matcher(out.toString());
    assertThat(out.toString()).contains("Savepoint completed. Path: ");
    assertThat(m.find()).isTrue();
    assertThat(Path.of(URI.create(m.group(1))).resolve("_metadata")).exists();
    assertThat(Path.of(URI.create(m.group(1))).getParent()).isEqualTo(savepointDir.resolve("cli"));

    out.getBuffer().setLength(0);
    assertThat(cli("cancel", "-s", id.toString())).as(err.toString()).isZero();
    cluster.awaitStatus(id, JobStatus.CANCELED);
    Matcher stored =
        Pattern.compile("Savepoint stored in (\\S+)\\.$").matcher(out.toString().trim());
    assertThat(stored.find()).as(out.toString()).isTrue();
    String savepoint = stored.group(1);
    // without a directory the savepoint went to state.savepoints.dir
    assertThat(Path.of(URI.create(savepoint)).getParent()).isEqualTo(savepointDir);

    Path jar = TestJars.jobJar(blobDir.resolve("job.jar"), TestJobs.Good.class);
    out.getBuffer().setLength(0);
    assertThat(cli("run", "-d", "-s", savepoint, jar.toString())).as(err.toString()).isZero();
    Matcher submitted = Pattern.compile("JobID ([0-9a-f]{32})").matcher(out.toString());
    assertThat(submitted.find()).isTrue();
    String resumed = submitted.group(1);
    long savepointId =
        http.get("/jobs/" + id + "/checkpoints").json().at("/latest/savepoint/id").asLong();
    await().atMost(Duration.ofSeconds(10)).until(() -> !tasksOf(resumed).isEmpty());
    assertThat(tasksOf(resumed))
        .allSatisfy(t -> assertThat(t.getRestoreCheckpointId()).isEqualTo(savepointId));
    assertThat(
            http.get("/jobs/" + resumed + "/checkpoints")
                .json()
                .at("/latest/restored/external_path")
                .asText())
        .isEqualTo(savepoint);
    JsonNode job = http.get("/jobs/" + resumed).json();
    assertThat(job.at("/restored-checkpoint/external_path").asText()).isEqualTo(savepoint);
    assertThat(job.at("/restored-checkpoint/id").asLong()).isEqualTo(savepointId);
    assertThat(job.at("/restored-checkpoint/is_savepoint").asBoolean()).isTrue();
    assertThat(job.get("restarts").asInt()).isZero();
    assertThat(http.get("/jobs/" + id).json().path("restored-checkpoint").isMissingNode()).isTrue();
  }

  @Test
  void aBadSavepointPathIsOneLine() throws Exception {
    Path notASavepoint = Files.createDirectories(savepointDir.resolve("empty"));
    Path jar = TestJars.jobJar(blobDir.resolve("job.jar"), TestJobs.Good.class);

    int exit = cli("run", "-d", "-s", notASavepoint.toUri().toString(), jar.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "baton: not a savepoint or retained checkpoint: "
                + notASavepoint.toUri()
                + ": no _metadata file\n");
    assertThat(cli("savepoint", "not-a-job-id")).isEqualTo(1);
  }

  /**
   * Relative and bare savepoint paths (the JobManager would resolve them against its working
   * directory) are refused with one line naming the option.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '"',
      value = {
        "relative/dir; is not an absolute URI (" + StorageUriForm.EXAMPLES + ")",
        "/abs/path/without/scheme; is not an absolute URI (" + StorageUriForm.EXAMPLES + ")",
        "file://relative/dir; names host 'relative' in a file URI: write file:///path (three"
            + " slashes)",
      })
  void aSavepointTargetThatIsNoAbsoluteUriIsRefused(String target, String problem)
      throws Exception {
    JobId id = cluster.runningWordCount();

    assertThat(cli("savepoint", id.toString(), target)).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("baton: savepoint directory '" + target + "' " + problem + "\n");
    err.getBuffer().setLength(0);
    Path jar = TestJars.jobJar(blobDir.resolve("job.jar"), TestJobs.Good.class);
    assertThat(cli("run", "-d", "-s", target, jar.toString())).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("baton: savepoint path (-s) '" + target + "' " + problem + "\n");
    assertThat(Path.of(target)).doesNotExist();
    assertThat(cluster.details(id).status()).isEqualTo(JobStatus.RUNNING);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"s3://bucket/savepoints, s3", "hdfs://namenode:8020/savepoints, hdfs"})
  void aSavepointTargetOnASchemeTheClusterHasNotConfiguredIsRefused(String target, String scheme)
      throws Exception {
    JobId id = cluster.runningWordCount();

    assertThat(cli("savepoint", id.toString(), target)).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "baton: target-directory '"
                + target
                + "' is on "
                + scheme
                + "://, which this cluster has not configured (it can write to file://)\n");
    assertThat(cluster.details(id).status()).isEqualTo(JobStatus.RUNNING);
  }

  private List<SubmitTaskRequest> tasksOf(String jobId) {
    return cluster.taskManagers.stream()
        .flatMap(tm -> tm.submitted.stream())
        .filter(t -> t.getJobId().equals(jobId))
        .toList();
  }
}
