package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager's log files, log, thread dump and JVM figures read through the JobManager's REST
 * API, from a TaskManager in a JVM of its own running Ledger: the log list holds its log file,
 * {@code /log} ends with what it just logged, the thread dump names its task threads, its details
 * carry its non-heap memory and garbage collectors; hostile log names (a path out of the log
 * directory, an absolute path, a symbolic link planted in it) answer 4xx and read nothing.
 *
 * <p>Its own small cluster (one JobManager, one TaskManager): the other multi-process tests start a
 * cluster per test method, and {@code RestApiTest}'s runs in one JVM, where a TaskManager's log
 * file and threads would be the JobManager's own.
 */
class TaskManagerLogsRestTest {
  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void aTaskManagersLogsThreadsAndFiguresAreReadThroughTheJobManager() throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.single(), "tm-logs", workDir, Duration.ofSeconds(10), c -> c);
    JobManagerProcess jm = cluster.startJobManager("jm1");
    cluster.startTaskManager("tm1", 2);
    cluster.awaitLeader(Duration.ofSeconds(60));
    cluster.awaitTaskManagers(1, Duration.ofSeconds(60));
    RestApi rest = jm.rest();
    // checkpoints a minute apart: their lines would bury the one the test looks for
    LedgerJob ledger = new LedgerJob(100_000_000, 5, 200, 60_000, workDir.resolve("ledger-out"));
    String jobId = ledger.submit(rest, 2);
    cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
    String tm = rest.getOk("/taskmanagers").get("taskmanagers").get(0).get("id").asText();
    String tmPath = "/taskmanagers/" + tm;

    // its tasks run (and have logged their start) before it is asked to log anything else
    Awaits.until(
        "the thread dump to name Ledger's task threads",
        Duration.ofSeconds(30),
        () -> {
          List<String> threads = new ArrayList<>();
          rest.getOk(tmPath + "/thread-dump")
              .get("threadInfos")
              .forEach(t -> threads.add(t.get("threadName").asText()));
          return threads.stream().anyMatch(t -> t.startsWith("events (1/2)"))
              && threads.stream()
                  .anyMatch(t -> t.startsWith("running-balance") && t.contains("(2/2)"));
        });

    // a link planted in the log directory, to a file the TaskManager must never serve
    Path secret = Files.writeString(workDir.resolve("secret.txt"), "secret-of-the-host");
    Files.createSymbolicLink(cluster.logDir().resolve("escape.log"), secret);

    List<String> names = new ArrayList<>();
    for (JsonNode log : rest.getOk("/v1" + tmPath + "/logs").get("logs")) {
      names.add(log.get("name").asText());
      assertThat(log.get("size").asLong()).isNotNegative();
    }
    assertThat(names).contains("tm1.log").doesNotContain("escape.log");

    RestApi.Response link = rest.get(tmPath + "/logs/escape.log");
    assertThat(link.status()).isEqualTo(404);
    assertThat(link.body().get("errors").get(0).asText())
        .isEqualTo("no log file escape.log on TaskManager " + tm);
    for (String hostile :
        new String[] {"..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "..%2Fsecret.txt", "%2E%2E"}) {
      RestApi.Response refused = rest.get(tmPath + "/logs/" + hostile);
      assertThat(refused.status()).as(hostile).isBetween(400, 499);
      assertThat(refused.text()).as(hostile).doesNotContain("secret-of-the-host", "root:");
    }

    // the TaskManager logged the refused link: its log, read through the JobManager, ends so
    Awaits.until(
        "the TaskManager's log to end with its refusal of escape.log",
        Duration.ofSeconds(30),
        () -> {
          String log = rest.get(tmPath + "/log").text();
          List<String> lines = log.lines().toList();
          return lines.subList(Math.max(0, lines.size() - 10), lines.size()).stream()
              .anyMatch(l -> l.contains("served no log file for the name escape.log"));
        });

    JsonNode metrics = rest.getOk(tmPath).get("metrics");
    assertThat(metrics.get("nonHeapUsed").asLong()).isPositive();
    assertThat(metrics.get("garbageCollectors")).isNotEmpty();
    JsonNode values =
        rest.getOk(tmPath + "/metrics?get=Status.JVM.Memory.Heap.Used,Status.JVM.Threads.Count");
    assertThat(values).hasSize(2);

    RestApi.Response stdout = rest.get(tmPath + "/stdout");
    assertThat(stdout.status()).isEqualTo(404);
    assertThat(stdout.body().get("errors").get(0).asText())
        .isEqualTo("no log file stdout (.out) on TaskManager " + tm);
  }
}
