package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.taskmanager.TaskManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard Baton ships is valid JSON, each of its queries is PromQL that Prometheus
 * parses, and every metric it queries is one a Baton JobManager or TaskManager serves while a job
 * runs and checkpoints (or Prometheus' own {@code up}).
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD =
      PrometheusTools.HOME.resolve("conf/grafana/baton-dashboard.json");
  private static final Set<String> PROMQL_WORDS =
      Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "bool", "offset");
  // grouping clauses name labels, not metrics
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  @TempDir Path workDir;

  @Test
  void everyQueryParsesAndAsksForMetricsBatonServes() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(dashboard.get("title").asText()).isEqualTo("Baton");
    List<String> queries = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
    assertThat(queries).hasSizeGreaterThan(20);

    assertQueriesParse(queries);

    Set<String> served = servedMetricNames();
    served.add("up");
    for (String query : queries) {
      assertThat(served)
          .as("metrics of the dashboard's query %s", query)
          .containsAll(metrics(query));
    }
  }

  /** Each query as a recording rule: promtool check rules parses them all. */
  private void assertQueriesParse(List<String> queries) throws Exception {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      rules
          .append("      - record: dashboard:query_")
          .append(i)
          .append("\n        expr: '")
          .append(queries.get(i).replace("'", "''"))
          .append("'\n");
    }
    Path file = Files.writeString(workDir.resolve("dashboard-queries.yml"), rules);
    PrometheusTools.Result check =
        PrometheusTools.promtool(workDir, null, "check", "rules", file.toString());
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  /** The metric names in a query: its identifiers outside label matchers, grouping and calls. */
  static Set<String> metrics(String query) {
    String bare =
        GROUPING
            .matcher(query.replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", ""))
            .replaceAll("");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(bare);
    while (m.find()) {
      String rest = bare.substring(m.end()).stripLeading();
      if (!rest.startsWith("(") && !PROMQL_WORDS.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  /** The series names a JobManager and a TaskManager of an HA cluster serve while a job runs. */
  private Set<String> servedMetricNames() throws Exception {
    try (ZooKeeperEnsemble zooKeeper = ZooKeeperEnsemble.single();
        LocalCluster cluster =
            LocalCluster.start(
                workDir,
                0,
                2,
                c ->
                    c.setString("high-availability.type", "zookeeper")
                        .setString("high-availability.zookeeper.quorum", zooKeeper.connectString())
                        .setString(
                            "high-availability.storageDir",
                            workDir.resolve("ha").toUri().toString())
                        .setString(
                            "state.checkpoints.dir",
                            workDir.resolve("checkpoints").toUri().toString())
                        .setString("metrics.reporter.prom.port", "0"))) {
      TaskManager taskManager = cluster.addTaskManager(2);
      cluster.awaitTaskManagers(1);
      LedgerJob ledger = new LedgerJob(100_000, 5, 500, 200, workDir.resolve("out"));
      String jobId = ledger.submit(cluster.rest(), 2);
      Awaits.until(
          "a checkpoint of " + jobId + " completed",
          Duration.ofSeconds(60),
          () ->
              HaCluster.latestCompletedCheckpoint(
                      cluster.rest().getOk("/jobs/" + jobId + "/checkpoints"))
                  > 0);
      // Micrometer names GC pause series after the first collection it was told of
      System.gc();
      Set<String> names = new TreeSet<>();
      Awaits.until(
          "the TaskManager's task and checkpoint series",
          Duration.ofSeconds(30),
          () -> {
            names.clear();
            names.addAll(
                seriesNames(
                    PrometheusTools.scrape("127.0.0.1:" + cluster.jobManager().restPort())));
            names.addAll(
                seriesNames(
                    PrometheusTools.scrape(
                        "127.0.0.1:" + taskManager.metricsPort().orElseThrow())));
            return names.contains("baton_taskmanager_task_records_out_total")
                && names.contains("jvm_gc_pause_seconds_sum")
                && names.contains("baton_checkpoint_last_duration_seconds");
          });
      return names;
    }
  }

  private static Set<String> seriesNames(String text) {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        Matcher m = IDENTIFIER.matcher(line);
        if (m.lookingAt()) {
          names.add(m.group());
        }
      }
    }
    return names;
  }
}
