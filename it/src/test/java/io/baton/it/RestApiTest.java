package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.jobs.CyclicJob;
import io.baton.it.jobs.EmptyJob;
import io.baton.it.jobs.NoMainJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API of a real cluster, read the way tools written for Flink's REST API read it, and bad
 * submissions that must be refused with one line while a running job carries on.
 */
class RestApiTest {
  @TempDir static Path workDir;
  private static LocalCluster cluster;
  private static RestApi rest;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(workDir, 2, 2);
    rest = cluster.rest();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void badSubmissionsAreRefusedAndTheRunningJobCarriesOn() throws Exception {
    String running = startEndlessLedger();

    RestApi.Response notAJar =
        rest.uploadJar(Files.writeString(workDir.resolve("notes.jar"), "not a zip"));
    assertThat(notAJar.status()).isEqualTo(400);
    assertThat(onlyError(notAJar)).contains("not a jar");

    assertRunRefused(
        TestJars.jar(workDir, "nomain.jar", null, NoMainJob.class), 1, "no main class");
    assertRunRefused(
        TestJars.jar(workDir, "cyclic.jar", CyclicJob.class, CyclicJob.class), 1, "cycle");
    assertRunRefused(
        TestJars.jar(workDir, "empty.jar", EmptyJob.class, EmptyJob.class), 1, "no operators");
    assertRunRefused(
        TestJars.examplesJar(),
        5000,
        "parallelism.max",
        "wordcount",
        "--input",
        "x",
        "--output",
        "y");

    assertThat(rest.jobState(running)).isEqualTo("RUNNING");
    assertThat(rest.getOk("/overview").get("jobs-running").asInt()).isEqualTo(1);

    assertThat(rest.patch("/jobs/" + running + "?mode=cancel").status()).isEqualTo(202);
    Awaits.jobState(rest, running, "CANCELED", Duration.ofSeconds(60));
    assertThat(rest.getOk("/overview").get("jobs-cancelled").asInt()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void readEndpointsAnswerInFlinksShape() throws Exception {
    JsonNode overview = rest.getOk("/overview");
    assertThat(overview.get("taskmanagers").asInt()).isEqualTo(2);
    assertThat(overview.get("slots-total").asInt()).isEqualTo(4);
    assertThat(overview.has("slots-available")).isTrue();
    assertThat(overview.has("jobs-finished")).isTrue();
    assertThat(overview.has("jobs-failed")).isTrue();

    JsonNode tms = rest.getOk("/taskmanagers").get("taskmanagers");
    assertThat(tms).hasSize(2);
    assertThat(tms).allSatisfy(tm -> assertThat(tm.get("slotsNumber").asInt()).isEqualTo(2));

    Path input = Files.writeString(workDir.resolve("in.txt"), "to be or not to be\n");
    String jobId =
        rest.submit(
            TestJars.examplesJar(),
            2,
            "wordcount",
            "--input",
            input.toString(),
            "--output",
            workDir.resolve("out").toString());
    Awaits.jobState(rest, jobId, "FINISHED", Duration.ofSeconds(60));

    JsonNode job = rest.getOk("/jobs/" + jobId);
    assertThat(job.get("jid").asText()).isEqualTo(jobId);
    assertThat(job.get("name").asText()).isNotBlank();
    assertThat(job.get("end-time").asLong()).isGreaterThanOrEqualTo(job.get("start-time").asLong());
    assertThat(job.get("vertices"))
        .allSatisfy(v -> assertThat(v.get("status").asText()).isEqualTo("FINISHED"));

    JsonNode listed = findJob(rest.getOk("/jobs/overview").get("jobs"), jobId);
    assertThat(listed.get("state").asText()).isEqualTo("FINISHED");
    assertThat(listed.get("tasks").get("finished").asInt())
        .isEqualTo(listed.get("tasks").get("total").asInt());

    RestApi.Response metrics = rest.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.text()).contains("baton_slots ", "baton_taskmanagers_registered");

    assertThat(rest.get("/jobs/not-an-id").status()).isEqualTo(400);
    assertThat(rest.get("/jobs/0123456789abcdef0123456789abcdef").status()).isEqualTo(404);
  }

  /** The pages Flink's dashboard reads, for a real running job, each also under /v1/. */
  @Test
  void flinksDashboardPathsAnswerForARunningJob() throws Exception {
    String jobId = startEndlessLedger("dashboard");
    try {
      assertDashboardPaths(jobId);
    } finally {
      // the other tests count running jobs
      rest.get("/jobs/" + jobId + "/yarn-cancel");
      Awaits.jobState(rest, jobId, "CANCELED", Duration.ofSeconds(60));
    }
  }

  private static void assertDashboardPaths(String jobId) {
    JsonNode config = rest.getOk("/v1/config");
    assertThat(config.get("flink-version").asText()).isEqualTo("1.20.1");
    assertThat(config.get("features").get("web-cancel").asBoolean()).isTrue();

    // Ledger: a source feeding a keyed vertex by hash, both named in the plan by 32-hex ids
    JsonNode job = rest.getOk("/v1/jobs/" + jobId);
    JsonNode nodes = job.get("plan").get("nodes");
    assertThat(nodes).hasSize(2);
    assertThat(nodes).allSatisfy(n -> assertThat(n.get("id").asText()).matches("[0-9a-f]{32}"));
    JsonNode keyed = nodes.get(1);
    assertThat(keyed.get("inputs").get(0).get("id").asText())
        .isEqualTo(nodes.get(0).get("id").asText());
    assertThat(keyed.get("inputs").get(0).get("ship_strategy").asText()).isEqualTo("HASH");
    assertThat(rest.getOk("/jobs/" + jobId + "/plan").get("plan")).isEqualTo(job.get("plan"));
    assertThat(job.get("timestamps").get("RUNNING").asLong()).isPositive();
    assertThat(job.get("isStoppable").asBoolean()).isTrue();

    String vertexId = job.get("vertices").get(1).get("id").asText();
    assertThat(job.get("vertices").get(1).get("maxParallelism").asInt()).isGreaterThanOrEqualTo(2);
    String path = "/jobs/" + jobId + "/vertices/" + vertexId;
    assertThat(rest.getOk(path).get("subtasks")).hasSize(2);
    // a TaskManager late with its heartbeat on a busy machine restarts the job: wait for RUNNING
    Awaits.until(
        "both subtasks of " + vertexId + " RUNNING on a TaskManager",
        Duration.ofSeconds(60),
        () -> {
          JsonNode subtasks = rest.getOk(path).get("subtasks");
          for (JsonNode st : subtasks) {
            if (!st.get("status").asText().equals("RUNNING") || st.get("taskmanager-id").isNull()) {
              return false;
            }
          }
          return true;
        });
    String taskManager = rest.getOk(path).get("subtasks").get(0).get("taskmanager-id").asText();

    JsonNode tm = rest.getOk("/v1/taskmanagers/" + taskManager);
    assertThat(tm.get("id").asText()).isEqualTo(taskManager);
    assertThat(tm.get("slotsNumber").asInt()).isEqualTo(2);
    assertThat(tm.get("metrics").get("heapMax").asLong()).isPositive();

    assertThat(rest.getOk("/jobs/" + jobId + "/exceptions").get("exceptionHistory").get("entries"))
        .isEmpty();
    assertThat(rest.getOk("/jobmanager/config"))
        .anySatisfy(e -> assertThat(e.get("key").asText()).isEqualTo("rest.port"));
    assertThat(rest.getOk("/jobmanager/thread-dump").get("threadInfos")).isNotEmpty();
    assertThat(rest.get("/jobs/" + jobId + "/yarn-cancel").status()).isEqualTo(202);
  }

  private static String startEndlessLedger() throws Exception {
    return startEndlessLedger("endless");
  }

  private static String startEndlessLedger(String output) throws Exception {
    String jobId =
        rest.submit(
            TestJars.examplesJar(),
            2,
            "ledger",
            "--events",
            "100000000",
            "--keys",
            "5",
            "--rate",
            "1000",
            "--output",
            workDir.resolve(output).toString());
    Awaits.jobState(rest, jobId, "RUNNING", Duration.ofSeconds(60));
    return jobId;
  }

  private static void assertRunRefused(Path jar, int parallelism, String reason, String... args)
      throws Exception {
    RestApi.Response upload = rest.uploadJar(jar);
    assertThat(upload.status()).as(upload.text()).isEqualTo(200);
    RestApi.Response run = rest.run(upload.body().get("filename").asText(), parallelism, args);
    assertThat(run.status()).as(run.text()).isEqualTo(400);
    assertThat(onlyError(run)).contains(reason).doesNotContain("\n");
  }

  private static String onlyError(RestApi.Response response) {
    assertThat(response.body().get("errors")).as(response.text()).hasSize(1);
    return response.body().get("errors").get(0).asText();
  }

  private static JsonNode findJob(JsonNode jobs, String jobId) {
    for (JsonNode j : jobs) {
      if (j.get("jid").asText().equals(jobId)) {
        return j;
      }
    }
    throw new AssertionError("job " + jobId + " not in " + jobs);
  }
}
