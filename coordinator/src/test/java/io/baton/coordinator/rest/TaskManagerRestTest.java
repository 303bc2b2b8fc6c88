package io.baton.coordinator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.common.diagnostics.LogDirectory;
import io.baton.coordinator.rest.TestHttp.Response;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobStatus;
import io.baton.coordinator.status.TaskManagerDetails;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /taskmanagers/{id}} in Flink's shapes, read from a TaskManager's diagnostics over real
 * gRPC: details and metrics with its JVM's figures, its logs, stdout and thread dump; hostile log
 * names, a TaskManager without a log file, a silent one and an unreachable one, each one line.
 */
class TaskManagerRestTest {
  @TempDir Path dir;

  private final FakeDispatcher dispatcher = new FakeDispatcher();
  private DiagnosticsServer answering;
  private DiagnosticsServer withoutLogFile;
  private DiagnosticsServer silent;
  private RestServer server;
  private TestHttp http;

  @BeforeEach
  void startServer() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("log"));
    Files.writeString(logs.resolve("tm.log"), "INFO started\nINFO running events (1/2)\n");
    Files.writeString(logs.resolve("tm.out"), "printed by user code\n");
    Files.writeString(dir.resolve("secret.txt"), "the secret");
    Files.createSymbolicLink(logs.resolve("escape.log"), dir.resolve("secret.txt"));
    answering = new DiagnosticsServer(new LogDirectory(Optional.of(logs.resolve("tm.log"))), false);
    withoutLogFile = new DiagnosticsServer(new LogDirectory(Optional.empty()), false);
    silent = new DiagnosticsServer(new LogDirectory(Optional.empty()), true);
    dispatcher.addTaskManager(taskManager("tm-1", answering.address()));
    dispatcher.addTaskManager(taskManager("tm-2", withoutLogFile.address()));
    dispatcher.addTaskManager(taskManager("tm-3", silent.address()));
    dispatcher.addTaskManager(taskManager("tm-4", "127.0.0.1:" + closedPort()));
    server =
        RestFixtures.server(
            RestFixtures.configuration(),
            dispatcher,
            dir.resolve("blobs"),
            null,
            Duration.ofSeconds(5));
    server.start();
    http = new TestHttp(server.port());
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
    answering.close();
    withoutLogFile.close();
    silent.close();
  }

  private static TaskManagerDetails taskManager(String id, String address) {
    return new TaskManagerDetails(
        id, address, RestFixtures.NOW - 1_000, 4, 1, 8, 16L << 30, 256, 1024);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void detailsHaveFlinksFieldsWithTheTaskManagersJvmFigures() {
    JsonNode tm = http.get("/v1/taskmanagers/tm-1").json();

    assertThat(tm.get("id").asText()).isEqualTo("tm-1");
    assertThat(tm.get("slotsNumber").asInt()).isEqualTo(4);
    assertThat(tm.get("freeSlots").asInt()).isEqualTo(1);
    assertThat(tm.get("metricsPort").asInt()).isEqualTo(9250);
    JsonNode metrics = tm.get("metrics");
    assertThat(metrics.get("heapUsed").asLong()).isEqualTo(300);
    assertThat(metrics.get("heapMax").asLong()).isEqualTo(1024);
    assertThat(metrics.get("nonHeapUsed").asLong()).isEqualTo(70);
    assertThat(metrics.get("directUsed").asLong()).isEqualTo(4096);
    assertThat(metrics.get("garbageCollectors").get(0).get("name").asText())
        .isEqualTo("G1_Young_Generation");
    assertThat(metrics.get("garbageCollectors").get(0).get("count").asLong()).isEqualTo(7);
    assertThat(metrics.get("garbageCollectors").get(0).get("time").asLong()).isEqualTo(120);
    assertThat(tm.get("memoryConfiguration").get("taskHeap").asLong()).isEqualTo(1024);
    assertThat(tm.get("totalResource").get("cpuCores").asDouble()).isEqualTo(8.0);
  }

  @Test
  void metricsAnswerTheIdsTheDashboardsMetricsTabAsksFor() {
    JsonNode values =
        http.get(
                "/taskmanagers/tm-1/metrics?get=Status.JVM.Memory.Heap.Used,"
                    + "Status.JVM.Memory.NonHeap.Used,Status.JVM.Memory.Direct.MemoryUsed,"
                    + "Status.JVM.GarbageCollector.G1_Young_Generation.Count,"
                    + "Status.Flink.Memory.Managed.Total")
            .json();
    assertThat(values).hasSize(5);
    assertThat(values.get(0).get("value").asText()).isEqualTo("300");
    assertThat(values.get(1).get("value").asText()).isEqualTo("70");
    assertThat(values.get(2).get("value").asText()).isEqualTo("4096");
    assertThat(values.get(3).get("value").asText()).isEqualTo("7");
    assertThat(http.get("/taskmanagers/tm-1/metrics").json())
        .anySatisfy(
            m ->
                assertThat(m.get("id").asText())
                    .isEqualTo("Status.JVM.GarbageCollector.G1_Young_Generation.Time"));
  }

  @Test
  void aStandbyPassesTheDashboardsTaskManagerCallsOnToTheLeader() {
    String leaderUrl = "http://127.0.0.1:" + server.port();
    HaStatus.Source standbyHa = RestFixtures.standbyOf(() -> leaderUrl);
    RestServer standbyServer =
        RestFixtures.server(
            RestFixtures.configuration(),
            new FakeDispatcher(),
            dir.resolve("blobs-standby"),
            standbyHa);
    standbyServer.start();
    try {
      TestHttp standby = new TestHttp(standbyServer.port());
      Response log = standby.get("/v1/taskmanagers/tm-1/log");
      assertThat(log.status()).as(log.body()).isEqualTo(200);
      assertThat(log.body()).endsWith("INFO running events (1/2)\n");
      Response threads = standby.get("/v1/taskmanagers/tm-1/thread-dump");
      assertThat(threads.status()).as(threads.body()).isEqualTo(200);
      assertThat(threads.json().get("threadInfos").size()).isPositive();
      Response hostile = standby.get("/v1/taskmanagers/tm-1/logs/..%2Fsecret.txt");
      assertThat(hostile.status()).isBetween(400, 499);
      assertThat(hostile.body()).doesNotContain("the secret");
    } finally {
      standbyServer.close();
    }
  }

  @Test
  void logsLogStdoutAndThreadDumpComeFromTheTaskManager() {
    JsonNode logs = http.get("/v1/taskmanagers/tm-1/logs").json().get("logs");
    assertThat(logs).extracting(l -> l.get("name").asText()).containsExactly("tm.log", "tm.out");
    assertThat(logs.get(0).get("size").asLong()).isEqualTo(39);
    assertThat(logs.get(0).get("mtime").asLong()).isPositive();

    Response log = http.get("/taskmanagers/tm-1/log");
    assertThat(log.status()).isEqualTo(200);
    assertThat(log.contentType()).startsWith("text/plain");
    assertThat(log.body()).endsWith("INFO running events (1/2)\n");
    assertThat(http.get("/v1/taskmanagers/tm-1/stdout").body()).isEqualTo("printed by user code\n");
    assertThat(http.get("/taskmanagers/tm-1/logs/tm.out").body())
        .isEqualTo("printed by user code\n");

    JsonNode threads = http.get("/v1/taskmanagers/tm-1/thread-dump").json().get("threadInfos");
    assertThat(threads)
        .anySatisfy(
            t -> {
              assertThat(t.get("threadName").asText()).isNotBlank();
              assertThat(t.get("stringifiedThreadInfo").asText()).contains("\"");
            });
  }

  @Test
  void hostileLogNamesAreRefusedAndReadNothing() {
    for (String name : new String[] {"escape.log", "...", "missing.log"}) {
      Response r = http.get("/taskmanagers/tm-1/logs/" + name);
      assertThat(r.status()).as(name).isEqualTo(404);
      assertThat(r.error()).isEqualTo("no log file " + name + " on TaskManager tm-1");
    }
    for (String encoded :
        new String[] {"..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "..%2Fsecret.txt", "%2E%2E"}) {
      Response r = http.get("/taskmanagers/tm-1/logs/" + encoded);
      assertThat(r.status()).as(encoded).isBetween(400, 499);
      assertThat(r.body()).as(encoded).doesNotContain("the secret", "root:");
    }
  }

  @Test
  void aTaskManagerWithoutALogFileSaysSoInOneLine() {
    for (String page : new String[] {"logs", "log", "stdout", "logs/tm.log"}) {
      Response r = http.get("/taskmanagers/tm-2/" + page);
      assertThat(r.status()).as(page).isEqualTo(404);
      assertThat(r.error())
          .isEqualTo("TaskManager tm-2 writes no log file (started without baton.log.file)");
    }
  }

  @Test
  void aSilentTaskManagerIs504AndAnUnreachableOne503EachNamingIt() {
    Response slow = http.get("/taskmanagers/tm-3/thread-dump");
    assertThat(slow.status()).isEqualTo(504);
    assertThat(slow.error())
        .isEqualTo(
            "TaskManager tm-3 at "
                + silent.address()
                + " did not answer GET /taskmanagers/tm-3/thread-dump within 5 s");

    Response gone = http.get("/taskmanagers/tm-4/log");
    assertThat(gone.status()).isEqualTo(503);
    assertThat(gone.error()).startsWith("TaskManager tm-4 at 127.0.0.1:").contains("unreachable");

    // its details page still shows what its heartbeats told
    JsonNode details = http.get("/taskmanagers/tm-3").json();
    assertThat(details.get("metrics").get("heapUsed").asLong()).isEqualTo(256);
    assertThat(details.get("metricsPort").asInt()).isEqualTo(-1);
  }

  @Test
  void logUrlsFlameGraphAndProfilerAnswerAsFlinksDashboardExpects() {
    JobDetails job = RestFixtures.job(JobStatus.RUNNING, null);
    dispatcher.addJob(job);
    String jobPath = "/jobs/" + job.id().value();

    assertThat(http.get(jobPath + "/jobmanager/log-url").json().get("url").asText())
        .isEqualTo("http://127.0.0.1:" + server.port() + "/jobmanager/log");
    assertThat(http.get(jobPath + "/taskmanagers/tm-1/log-url").json().get("url").asText())
        .isEqualTo("http://127.0.0.1:" + server.port() + "/taskmanagers/tm-1/log");
    assertThat(http.get(jobPath + "/taskmanagers/tm-9/log-url").error())
        .isEqualTo("no TaskManager tm-9 is registered");
    assertThat(http.get("/jobs/0123456789abcdef0123456789abcdef/jobmanager/log-url").status())
        .isEqualTo(404);

    JsonNode flameGraph =
        http.get(jobPath + "/vertices/0123456789abcdef0123456789abcdef/flamegraph?type=FULL")
            .json();
    assertThat(flameGraph.get("endTimestamp").asInt()).isEqualTo(-2);
    assertThat(flameGraph.get("data").isNull()).isTrue();

    for (String path : new String[] {"/jobmanager/profiler", "/taskmanagers/tm-1/profiler"}) {
      Response r = http.get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.error()).startsWith("profiling is not available");
    }
  }

  @Test
  void unknownAndInvalidIdsAreOneLineErrors() {
    Response unknown = http.get("/taskmanagers/tm-9/log");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).isEqualTo("no TaskManager tm-9 is registered");
    Response invalid = http.get("/taskmanagers/tm%20%3Cx%3E");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.error()).startsWith("invalid TaskManager id");
  }

  @Test
  void aFlinkJobGraphIsRefusedWithOneLine() {
    Response r = http.post("/v1/jobs", "{}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).startsWith("Baton runs Baton jobs, not Flink job graphs");
  }
}
