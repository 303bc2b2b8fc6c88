package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import io.baton.it.jobs.NamedJob;
import io.baton.it.jobs.SchedulingJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Flink's web dashboard and Baton's HA console in a real browser (Debian's headless Chromium)
 * against a multi-process HA cluster running Ledger and a job whose name is an HTML injection: the
 * dashboard's pages show the jobs, their graph and checkpoints (a checkpoint's vertices and their
 * subtasks), a vertex's subtasks, the TaskManagers, the JobManager's configuration and log; its
 * Cancel button cancels, and a jar uploaded on its Submit New Job page runs with the parallelism
 * and arguments given there; the console shows the leader and the standby, the hostile name as
 * text, ZooKeeper connected and the HA storage reachable, and after the leader is SIGKILLed, in a
 * fresh browser, the cluster's failover history naming both leaders, how the dead one was found
 * gone and Ledger reconciled. Screenshots go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String SUBMITTED_NAME = "submitted-through-the-dashboard";
  private static final String ZOOKEEPER_UP = "(CONNECTED|RECONNECTED) since .+";
  // how the dashboard writes a subtask's acknowledgement time
  private static final java.util.regex.Pattern ACK_TIME =
      java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}");
  private static final String HOSTILE_NAME = "<script>window.injected=1</script><b>bold</b>";

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();

  @Test
  void dashboardAndConsoleShowTheClusterThroughAFailover() throws Exception {
    HaCluster cluster =
        ha.start(ZooKeeperEnsemble.single(), "dashboard", workDir, SESSION_TIMEOUT, c -> c);
    JobManagerProcess leader = cluster.startTwoJobManagersAnd(2);
    JobManagerProcess standby =
        cluster.jobManagers().stream().filter(jm -> jm != leader).findFirst().orElseThrow();
    cluster.awaitTaskManagers(2, Duration.ofSeconds(60));
    // a checkpoint every 2 s: one stays among the newest 10 the history keeps (and the dashboard
    // can expand) for 20 s, longer than the browser takes to open its details
    LedgerJob ledger = new LedgerJob(100_000_000, 5, 200, 2000, workDir.resolve("ledger-out"));
    String ledgerId = cluster.submitAndAwaitCheckpoint(ledger, leader, 2, 0);
    Path namedJar =
        TestJars.jar(workDir, "named.jar", NamedJob.class, NamedJob.class, SchedulingJob.class);
    String hostileId = leader.rest().submit(namedJar, 1, HOSTILE_NAME);
    cluster.awaitJobState(hostileId, "RUNNING", Duration.ofSeconds(60));

    try (HeadlessChromium browser = HeadlessChromium.start(PATIENCE)) {
      try {
        String base = leader.rest().baseUrl();
        showsOverviewAndJobs(browser, base, ledgerId);
        showsJobGraphAndCheckpoints(browser, cluster, base, ledgerId);
        showsCheckpointDetails(browser, leader, base, ledgerId);
        showsTaskManagersAndJobManagerConfig(browser, cluster, base);
        showsTaskManagerLogsAndMetrics(browser, cluster, base);
        showsAVertexsSubtasks(browser, leader, base, ledgerId);
        showsTheJobManagersLog(browser, base);
        cancelsThroughTheDashboard(browser, leader, base, hostileId);
        uploadsAndSubmitsAJar(browser, cluster, base, namedJar);
        consoleShowsLeaderStandbyAndAFailover(browser, cluster, leader, standby, ledgerId);
      } catch (AssertionError | RuntimeException e) {
        browser.screenshotQuietly("failure");
        throw e;
      }
    }
  }

  private static void showsOverviewAndJobs(HeadlessChromium browser, String base, String ledgerId)
      throws Exception {
    browser.open(base + "/#/overview");
    String overview = browser.awaitText("the overview", "Running Job List", "ledger", HOSTILE_NAME);
    assertThat(overview).contains("Task Managers", "Total Task Slots");
    assertThat(browser.script("return window.injected === undefined")).isEqualTo(Boolean.TRUE);
    browser.screenshot("dashboard-overview");

    browser.open(base + "/#/job/running");
    browser.awaitText("the running jobs", "ledger", HOSTILE_NAME, "RUNNING");
    browser.screenshot("dashboard-running-jobs");
  }

  private static void showsJobGraphAndCheckpoints(
      HeadlessChromium browser, HaCluster cluster, String base, String ledgerId) throws Exception {
    browser.open(base + "/#/job/running/" + ledgerId + "/overview");
    // the graph's two vertices, connected by hash
    browser.awaitText("the job graph", "events", "running-balance", "HASH", "Parallelism: 2");
    browser.screenshot("dashboard-job-graph");

    long checkpoint = HaCluster.latestCompletedCheckpoint(cluster.checkpoints(ledgerId));
    browser.open(base + "/#/job/running/" + ledgerId + "/checkpoints");
    String checkpoints = browser.awaitText("the checkpoints", "Checkpoint Counts", "Completed:");
    assertThat(checkpoints).contains("Latest Completed Checkpoint");
    assertThat(checkpoint).isPositive();
    browser.screenshot("dashboard-checkpoints");

    browser.open(base + "/#/job/running/" + ledgerId + "/exceptions");
    browser.awaitText("the exceptions", "Root Exception");
    browser.screenshot("dashboard-exceptions");
  }

  /**
   * The history's newest completed checkpoint, expanded: each vertex with all its subtasks
   * acknowledged, and one vertex expanded to a row per subtask with its acknowledgement time.
   */
  private static void showsCheckpointDetails(
      HeadlessChromium browser, JobManagerProcess leader, String base, String ledgerId)
      throws Exception {
    List<String> vertices = new java.util.ArrayList<>();
    JsonNode job = leader.rest().getOk("/jobs/" + ledgerId);
    assertThat(job.has("vertices")).as("GET /jobs/%s: %s", ledgerId, job).isTrue();
    for (JsonNode vertex : job.get("vertices")) {
      assertThat(vertex.get("parallelism").asInt()).isEqualTo(2);
      vertices.add(vertex.get("name").asText());
    }
    assertThat(vertices).hasSize(2);
    browser.open(base + "/#/job/running/" + ledgerId + "/checkpoints");
    browser.awaitText("the checkpoints", "Checkpoint Counts");
    browser.click(
        browser.await(
            "the History tab", By.xpath("//*[@role='tab'][normalize-space()='History']")));
    // newest first: the first completed row is the latest completed checkpoint
    WebElement checkpoint =
        browser.await(
            "a completed checkpoint in the history",
            By.xpath("//tr[td/flink-checkpoint-badge[contains(normalize-space(),'COMPLETED')]]"));
    String checkpointId = checkpoint.findElement(By.xpath("td[2]")).getText().trim();
    browser.click(checkpoint.findElement(By.xpath("td[1]//button")));
    List<String> operators = new java.util.ArrayList<>(vertices);
    operators.add("Operators:");
    browser.awaitText(
        "checkpoint " + checkpointId + "'s operators", operators.toArray(String[]::new));
    String operatorRows =
        "//flink-job-checkpoints-detail//tbody/tr[td[contains(normalize-space(),'";
    for (String vertex : vertices) {
      WebElement row = browser.await(vertex + "'s row", By.xpath(operatorRows + vertex + "')]]"));
      Awaits.until(
          vertex + " acknowledged by both subtasks in checkpoint " + checkpointId,
          PATIENCE,
          () -> row.getText().contains("2/2 (100%)"));
    }

    WebElement balance =
        browser.await("the second vertex", By.xpath(operatorRows + vertices.get(1) + "')]]"));
    browser.click(balance.findElement(By.xpath("td[1]//button")));
    browser.awaitText("the second vertex's subtasks", "SubTasks:", "Minimum", "Maximum");
    By subtaskRows = By.xpath("(//flink-job-checkpoints-subtask//nz-table)[2]//tbody/tr[td]");
    Awaits.until(
        "a row per subtask with its acknowledgement in checkpoint " + checkpointId,
        PATIENCE,
        () -> {
          List<String> rows =
              browser.findAll(subtaskRows).stream().map(WebElement::getText).toList();
          return rows.size() == 2
              && rows.get(0).matches("(?s)0\\s.*")
              && rows.get(1).matches("(?s)1\\s.*")
              && rows.stream().allMatch(r -> ACK_TIME.matcher(r).find());
        });
    // the picture ends with the expanded vertex's subtasks, its row above them
    browser.script(
        "document.querySelector('flink-job-checkpoints-subtask').scrollIntoView({block: 'end'})");
    browser.screenshot("dashboard-checkpoint-details");
  }

  private static void showsTaskManagersAndJobManagerConfig(
      HeadlessChromium browser, HaCluster cluster, String base) throws Exception {
    JobManagerProcess leader = cluster.currentLeader().orElseThrow();
    List<String> taskManagerIds = new java.util.ArrayList<>();
    for (JsonNode tm : leader.rest().getOk("/taskmanagers").get("taskmanagers")) {
      taskManagerIds.add(tm.get("id").asText());
    }
    assertThat(taskManagerIds).hasSize(2);
    browser.open(base + "/#/task-manager");
    browser.awaitText("the TaskManagers", taskManagerIds.toArray(String[]::new));
    browser.screenshot("dashboard-taskmanagers");

    browser.open(base + "/#/job-manager/config");
    browser.awaitText(
        "the JobManager's configuration", "high-availability.type", "rest.port", "zookeeper");
    browser.screenshot("dashboard-jobmanager-config");
  }

  /**
   * A TaskManager's page with data read from the TaskManager itself: its JVM's metrics with its
   * (serial) collectors, its log file's first lines, its threads.
   */
  private static void showsTaskManagerLogsAndMetrics(
      HeadlessChromium browser, HaCluster cluster, String base) throws Exception {
    JobManagerProcess leader = cluster.currentLeader().orElseThrow();
    String tm = leader.rest().getOk("/taskmanagers").get("taskmanagers").get(0).get("id").asText();
    browser.open(base + "/#/task-manager/" + tm + "/metrics");
    // HaCluster's TaskManagers run -XX:+UseSerialGC: its old generation's collector
    browser.awaitText("the TaskManager's metrics", "Non-Heap", "Collector", "MarkSweepCompact");
    browser.screenshot("dashboard-taskmanager-metrics");

    browser.open(base + "/#/task-manager/" + tm + "/logs");
    // the log's first line comes from the TaskManager's entry point, named on no other page
    browser.awaitText("the TaskManager's log", "TaskManagerEntrypoint");
    browser.screenshot("dashboard-taskmanager-log");

    browser.open(base + "/#/task-manager/" + tm + "/thread-dump");
    browser.awaitText("the TaskManager's thread dump", "Finalizer");
    browser.screenshot("dashboard-taskmanager-thread-dump");
  }

  private static void cancelsThroughTheDashboard(
      HeadlessChromium browser, JobManagerProcess leader, String base, String jobId)
      throws Exception {
    browser.open(base + "/#/job/running/" + jobId + "/overview");
    browser.awaitText("the hostile job's page", HOSTILE_NAME, "Cancel Job");
    browser.click(
        browser.await("the Cancel Job button", By.xpath("//a[normalize-space()='Cancel Job']")));
    browser.click(
        browser.await(
            "the confirmation",
            By.xpath("//div[contains(@class,'ant-popover')]//button[normalize-space()='Yes']")));
    Awaits.jobState(leader.rest(), jobId, "CANCELED", Duration.ofSeconds(60));
    browser.open(base + "/#/job/completed");
    browser.awaitText("the completed jobs", HOSTILE_NAME, "CANCELED");
    assertThat(browser.script("return window.injected === undefined")).isEqualTo(Boolean.TRUE);
    browser.screenshot("dashboard-completed-jobs");
  }

  private static void showsAVertexsSubtasks(
      HeadlessChromium browser, JobManagerProcess leader, String base, String ledgerId)
      throws Exception {
    JsonNode vertex = leader.rest().getOk("/jobs/" + ledgerId).get("vertices").get(1);
    JsonNode subtasks =
        leader.rest().getOk("/jobs/" + ledgerId + "/vertices/" + vertex.get("id").asText());
    List<String> endpoints = new java.util.ArrayList<>();
    for (JsonNode subtask : subtasks.get("subtasks")) {
      assertThat(subtask.get("status").asText()).isEqualTo("RUNNING");
      endpoints.add(subtask.get("endpoint").asText());
    }
    assertThat(endpoints).hasSize(2);
    browser.open(
        base
            + "/#/job/running/"
            + ledgerId
            + "/overview/"
            + vertex.get("id").asText()
            + "/subtasks");
    List<String> expected = new java.util.ArrayList<>(endpoints);
    expected.add("RUNNING");
    expected.add(vertex.get("name").asText());
    browser.awaitText("the vertex's subtasks", expected.toArray(String[]::new));
    browser.screenshot("dashboard-vertex-subtasks");
  }

  private static void showsTheJobManagersLog(HeadlessChromium browser, String base)
      throws Exception {
    browser.open(base + "/#/job-manager/logs");
    // the log is shown in the dashboard's editor, which draws only the lines in view
    Awaits.until(
        "the JobManager's log in the dashboard",
        PATIENCE,
        () ->
            String.valueOf(
                    browser.script(
                        "return window.monaco ? monaco.editor.getModels().map(m =>"
                            + " m.getValue()).join('\\n') : ''"))
                .contains("Contending for leadership on"));
    browser.screenshot("dashboard-jobmanager-log");
  }

  private static void uploadsAndSubmitsAJar(
      HeadlessChromium browser, HaCluster cluster, String base, Path jar) throws Exception {
    browser.open(base + "/#/submit");
    browser.awaitText("the Submit New Job page", "Add New");
    browser
        .findAll(By.cssSelector("input[type=file]"))
        .get(0)
        .sendKeys(jar.toAbsolutePath().toString());
    String fileName = jar.getFileName().toString();
    browser.click(
        browser.await(
            "the uploaded jar", By.xpath("//tr[td[normalize-space()='" + fileName + "']]/td[1]")));
    browser
        .await("the parallelism field", By.cssSelector("input[formcontrolname='parallelism']"))
        .sendKeys("1");
    browser
        .await("the arguments field", By.cssSelector("input[formcontrolname='programArgs']"))
        .sendKeys(SUBMITTED_NAME);
    browser.screenshot("dashboard-submit");
    browser.click(
        browser.await("the Submit button", By.xpath("//button[normalize-space()='Submit']")));
    browser.awaitText("the submitted job", SUBMITTED_NAME);
    Awaits.until(
        "the submitted job running",
        Duration.ofSeconds(60),
        () -> {
          for (JsonNode job :
              cluster.currentLeader().orElseThrow().rest().getOk("/jobs/overview").get("jobs")) {
            if (job.get("name").asText().equals(SUBMITTED_NAME)) {
              return job.get("state").asText().equals("RUNNING");
            }
          }
          return false;
        });
    browser.open(base + "/#/job/running");
    browser.awaitText("the running jobs with the submitted one", SUBMITTED_NAME, "RUNNING");
    browser.screenshot("dashboard-submitted-job");
  }

  private static void consoleShowsLeaderStandbyAndAFailover(
      HeadlessChromium browser,
      HaCluster cluster,
      JobManagerProcess leader,
      JobManagerProcess standby,
      String ledgerId)
      throws Exception {
    // the console of the standby: it stays up when the leader is killed
    browser.open(standby.rest().baseUrl() + "/");
    browser.await("the dashboard's link to the console", By.id("baton-console-link")).click();
    browser.awaitText("the console", "Baton HA console", "ledger", HOSTILE_NAME);
    assertThat(browser.findAll(By.id("leader")).get(0).getText()).isEqualTo(leader.id());
    assertThat(browser.findAll(By.id("standbys")).get(0).getText()).isEqualTo(standby.id());
    assertThat(browser.findAll(By.id("this-id")).get(0).getText()).contains("standby");
    assertThat(browser.findAll(By.id("token-digest")).get(0).getText()).matches("[0-9a-f]+");
    // the hostile name is text in a cell, never markup
    assertThat(browser.findAll(By.cssSelector("#jobs script, #jobs b"))).isEmpty();
    assertThat(browser.script("return window.injected === undefined")).isEqualTo(Boolean.TRUE);
    // a session that lost its connection under load and got it back is as healthy as ever
    assertThat(browser.findAll(By.id("zookeeper")).get(0).getText()).matches(ZOOKEEPER_UP);
    browser.awaitText("the HA storage's check", "reachable (");
    // the cluster's own history: the first leader's row, whichever browser looks
    assertThat(
            browser
                .await("the first leader's row", By.cssSelector("#failovers tr.failover"))
                .getText())
        .contains(leader.id(), "first leader");
    browser.screenshot("console");

    String token = leader.ha().orElseThrow().leaderTokenDigest();
    leader.kill();
    JobManagerProcess newLeader =
        cluster.awaitNewLeader(token, SESSION_TIMEOUT.plus(Duration.ofSeconds(60)));
    assertThat(newLeader.id()).isEqualTo(standby.id());
    Awaits.until(
        "Ledger's recovery on " + newLeader,
        Duration.ofSeconds(60),
        () -> cluster.job(ledgerId).get("recoveries").asInt() == 1);
    // a browser that saw nothing before (no sessionStorage, no history of its own) shows what the
    // JobManagers know: who took over from whom, how the dead leader was found gone, and that the
    // new leader adopted Ledger's running tasks (jobmanager.failover.reconcile, the default)
    try (HeadlessChromium fresh = HeadlessChromium.start(PATIENCE)) {
      fresh.open(standby.rest().baseUrl() + "/console/");
      fresh.awaitText("the console after the failover", standby.id() + " (leader)");
      fresh.awaitText("the takeover's row", "reconciled (adopted");
      String takeover = fresh.findAll(By.cssSelector("#failovers tr.failover")).get(0).getText();
      assertThat(takeover).contains(leader.id(), standby.id(), "ledger: reconciled (adopted");
      assertThat(takeover).containsAnyOf("probe", "session");
      assertThat(fresh.findAll(By.id("zookeeper")).get(0).getText()).matches(ZOOKEEPER_UP);
      assertThat(fresh.findAll(By.id("storage")).get(0).getText()).startsWith("reachable (");
      fresh.screenshot("console-after-failover");
    }
  }
}
