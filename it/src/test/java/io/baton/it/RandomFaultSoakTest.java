package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.it.HaCluster.JobManagerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: Ledger (100 000+ events, checkpoints every 500 ms) on two JobManagers, two TaskManagers and
 * three ZooKeeper servers while a seeded random fault hits the cluster every few seconds for
 * several minutes: leader SIGKILL, leader SIGTERM, standby SIGKILL, TaskManager SIGKILL, one
 * ZooKeeper server killed and restarted, leader frozen with SIGSTOP past the session timeout then
 * thawed. What is killed is replaced, so the cluster keeps its shape, and the next fault comes once
 * the cluster is whole again and the job made progress (a checkpoint completed after the fault,
 * then one to three more). At the end the job FINISHED and its output holds every event exactly
 * once.
 *
 * <p>Not part of the default build: {@code mvn -B -Psoak -pl it -am verify} (after building the
 * distribution), with {@code -Dsoak.minutes=5} (default), {@code -Dsoak.seed=<n>} to replay a run
 * (the seed is printed first), {@code -Dsoak.events=<n>} to override the event count.
 */
class RandomFaultSoakTest {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
  private static final int EVENTS_PER_SECOND = 1_000;
  private static final int KEYS = 23;
  private static final int PARALLELISM = 2;
  private static final int TASK_MANAGERS = 2;
  private static final Duration HEAL_DEADLINE = Duration.ofMinutes(3);
  private static final Pattern TASK_MANAGER_STARTED =
      Pattern.compile("Started TaskManager ([0-9a-f]+) at");

  /** The faults the soak draws from, each with what it takes to put the cluster back. */
  enum Fault {
    LEADER_SIGKILL,
    LEADER_SIGTERM,
    STANDBY_SIGKILL,
    TASKMANAGER_SIGKILL,
    ZOOKEEPER_SERVER_KILLED,
    LEADER_SIGSTOP
  }

  /** One injected fault: what was hit, and how long until the cluster was whole and progressing. */
  record Row(
      int n, Fault fault, String target, long healedMs, String leaderAfter, boolean jobRunning) {}

  @TempDir Path workDir;
  @RegisterExtension final HaClusterExtension ha = new HaClusterExtension();
  private final AtomicInteger jobManagerNames = new AtomicInteger(2);
  private final AtomicInteger taskManagerNames = new AtomicInteger(TASK_MANAGERS);

  @Test
  void ledgerIsExactlyOnceUnderRandomFaults() throws Exception {
    long seed = Long.getLong("soak.seed", System.currentTimeMillis());
    double minutes = Double.parseDouble(System.getProperty("soak.minutes", "5"));
    long events =
        Long.getLong("soak.events", Math.max(100_000, (long) (minutes * 60 * EVENTS_PER_SECOND)));
    String header =
        String.format(
            "soak: seed=%d minutes=%s events=%d rate=%d/s (replay with -Dsoak.seed=%d)",
            seed, minutes, events, EVENTS_PER_SECOND, seed);
    System.out.println(header);
    Random random = new Random(seed);

    HaCluster cluster =
        ha.start(
            ZooKeeperEnsemble.ofThree(),
            "soak",
            workDir,
            SESSION_TIMEOUT,
            c -> c.setString("restart-strategy.fixed-delay.attempts", "1000"));
    JobManagerProcess first = cluster.startTwoJobManagersAnd(TASK_MANAGERS);
    LedgerJob ledger = new LedgerJob(events, KEYS, EVENTS_PER_SECOND, 500, workDir.resolve("out"));
    String jobId = ledger.submit(first.rest(), PARALLELISM);
    LeaderReads.awaitState(cluster, jobId, "RUNNING", Duration.ofSeconds(60));
    cluster.awaitCheckpointAfter(jobId, 0, Duration.ofSeconds(60));

    List<Row> rows = new ArrayList<>();
    StringBuilder report = new StringBuilder(header).append('\n');
    long soakEnd = System.nanoTime() + (long) (minutes * 60e9);
    long started = System.nanoTime();
    boolean finishedEarly = false;
    while (System.nanoTime() < soakEnd) {
      if (jobState(jobId).filter("FINISHED"::equals).isPresent()) {
        finishedEarly = true;
        break;
      }
      Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
      long injectedAt = System.currentTimeMillis();
      long secondsIn = (System.nanoTime() - started) / 1_000_000_000L;
      String target = inject(fault, random, jobId);
      awaitWholeAndProgressing(jobId, fault, injectedAt);
      long healedMs = System.currentTimeMillis() - injectedAt;
      Row row =
          new Row(
              rows.size() + 1,
              fault,
              target,
              healedMs,
              leaderName(),
              jobState(jobId).filter("RUNNING"::equals).isPresent());
      rows.add(row);
      String line =
          String.format(
              "soak: fault %3d at %4ds %-23s %-34s healed in %6d ms, leader %s",
              row.n(), secondsIn, row.fault(), row.target(), row.healedMs(), row.leaderAfter());
      System.out.println(line);
      report.append(line).append('\n');
      // some progress before the next fault: one to three more checkpoints
      awaitCheckpointsAfter(jobId, System.currentTimeMillis(), 1 + random.nextInt(3));
    }

    LeaderReads.awaitState(
        cluster,
        jobId,
        "FINISHED",
        Duration.ofSeconds(events / EVENTS_PER_SECOND).plus(Duration.ofMinutes(5)));
    LedgerVerifier.Result verdict = LedgerVerifier.verify(workDir.resolve("out"), events, KEYS);
    JsonNode job = cluster.job(jobId);
    String summary = summary(seed, minutes, events, rows, job, verdict, finishedEarly);
    System.out.println(summary);
    report.append(summary).append('\n');
    Files.writeString(Path.of("target", "soak-report.txt"), report.toString());

    assertThat(rows).as("faults injected").isNotEmpty();
    assertThat(verdict.output()).isEqualTo("lost=0 duplicated=0");
    assertThat(verdict.exitCode()).isZero();
    long leaderFaults =
        rows.stream()
            .filter(Row::jobRunning)
            .filter(
                r ->
                    r.fault() == Fault.LEADER_SIGKILL
                        || r.fault() == Fault.LEADER_SIGTERM
                        || r.fault() == Fault.LEADER_SIGSTOP)
            .count();
    assertThat(job.get("recoveries").asInt())
        .as("recoveries by a new leader, after %d leader faults on the running job", leaderFaults)
        .isGreaterThanOrEqualTo((int) leaderFaults);
  }

  /** Injects {@code fault} and replaces what it killed; returns what was hit. */
  private String inject(Fault fault, Random random, String jobId) throws Exception {
    HaCluster cluster = ha.cluster();
    ZooKeeperEnsemble zooKeeper = ha.zooKeeper();
    JobManagerProcess leader = cluster.awaitLeader(HEAL_DEADLINE);
    String token = LeaderReads.leaderTokenDigest(leader, Duration.ofSeconds(30));
    switch (fault) {
      case LEADER_SIGKILL -> {
        leader.kill();
        cluster.startJobManager("jm" + jobManagerNames.incrementAndGet());
        cluster.awaitNewLeader(token, HEAL_DEADLINE);
        return leader.name();
      }
      case LEADER_SIGTERM -> {
        leader.terminate();
        leader.process().awaitExit(Duration.ofSeconds(60));
        cluster.startJobManager("jm" + jobManagerNames.incrementAndGet());
        cluster.awaitNewLeader(token, HEAL_DEADLINE);
        return leader.name();
      }
      case STANDBY_SIGKILL -> {
        JobManagerProcess standby =
            cluster.liveJobManagers().stream()
                .filter(jm -> jm != leader)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no standby besides " + leader));
        standby.kill();
        cluster.startJobManager("jm" + jobManagerNames.incrementAndGet());
        return standby.name();
      }
      case TASKMANAGER_SIGKILL -> {
        List<JvmProcess> live =
            cluster.taskManagers().stream().filter(JvmProcess::isAlive).toList();
        JvmProcess victim = live.get(random.nextInt(live.size()));
        victim.kill();
        cluster.startTaskManager("tm" + taskManagerNames.incrementAndGet(), 2);
        return victim.name();
      }
      case ZOOKEEPER_SERVER_KILLED -> {
        String server = zooKeeper.killServer(random.nextInt(zooKeeper.runningServers()));
        // the ensemble runs on two servers until the job checkpoints again, then gets its third
        // back
        awaitWholeAndProgressing(jobId, fault, System.currentTimeMillis());
        zooKeeper.restartKilledServers();
        return "ZooKeeper " + server;
      }
      case LEADER_SIGSTOP -> {
        leader.pause();
        cluster.awaitNewLeader(token, HEAL_DEADLINE);
        leader.resume();
        return leader.name() + " (thawed after takeover)";
      }
      default -> throw new IllegalStateException("unknown fault " + fault);
    }
  }

  /**
   * Waits until every live JobManager answers and names the same leader, the TaskManagers
   * registered with the leader are exactly the live TaskManager processes, and the job completed a
   * checkpoint triggered after {@code since} (so all its tasks run again).
   */
  private void awaitWholeAndProgressing(String jobId, Fault fault, long since) {
    HaCluster cluster = ha.cluster();
    try {
      Awaits.until(
          "cluster whole and " + jobId + " checkpointing again after " + fault,
          HEAL_DEADLINE,
          () -> {
            Optional<JobManagerProcess> leader = cluster.currentLeader();
            if (leader.isEmpty()) {
              return false;
            }
            for (JobManagerProcess jm : cluster.liveJobManagers()) {
              Optional<HaStatus> ha = jm.ha();
              if (ha.isEmpty() || !leader.get().id().equals(ha.get().leaderId())) {
                return false;
              }
            }
            Set<String> registered = new HashSet<>();
            leader
                .get()
                .rest()
                .getOk("/taskmanagers")
                .get("taskmanagers")
                .forEach(tm -> registered.add(tm.get("id").asText()));
            if (!registered.equals(liveTaskManagerIds())) {
              return false;
            }
            JsonNode job = leader.get().rest().getOk("/jobs/" + jobId);
            if (job.get("state").asText().equals("FINISHED")) {
              return true;
            }
            JsonNode completed =
                leader.get().rest().getOk("/jobs/" + jobId + "/checkpoints").get("latest");
            JsonNode latest = completed.get("completed");
            return latest != null
                && !latest.isNull()
                && latest.get("trigger_timestamp").asLong() >= since;
          });
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(
          "the cluster did not heal after " + fault + ":" + cluster.logsTail(3000), e);
    }
  }

  /** The ids of the TaskManager processes alive now, as each logged it at start. */
  private Set<String> liveTaskManagerIds() throws IOException {
    HaCluster cluster = ha.cluster();
    Set<String> ids = new HashSet<>();
    for (JvmProcess tm : cluster.taskManagers()) {
      if (tm.isAlive()) {
        Matcher started = TASK_MANAGER_STARTED.matcher(tm.logText());
        if (!started.find()) {
          return Set.of("(" + tm.name() + " not started yet)");
        }
        ids.add(started.group(1));
      }
    }
    return ids;
  }

  private void awaitCheckpointsAfter(String jobId, long since, int count) {
    HaCluster cluster = ha.cluster();
    Awaits.until(
        count + " checkpoints of " + jobId + " triggered after " + since,
        HEAL_DEADLINE,
        () -> {
          JsonNode checkpoints = cluster.checkpoints(jobId);
          if (cluster.job(jobId).get("state").asText().equals("FINISHED")) {
            return true;
          }
          int newer = 0;
          for (JsonNode entry : checkpoints.get("history")) {
            if (entry.get("status").asText().equals("COMPLETED")
                && entry.get("trigger_timestamp").asLong() >= since) {
              newer++;
            }
          }
          return newer >= count;
        });
  }

  private Optional<String> jobState(String jobId) {
    HaCluster cluster = ha.cluster();
    try {
      return Optional.of(cluster.job(jobId).get("state").asText());
    } catch (RuntimeException | AssertionError noLeaderNow) {
      return Optional.empty();
    }
  }

  private String leaderName() {
    HaCluster cluster = ha.cluster();
    return cluster.currentLeader().map(JobManagerProcess::name).orElse("(none)");
  }

  private static String summary(
      long seed,
      double minutes,
      long events,
      List<Row> rows,
      JsonNode job,
      LedgerVerifier.Result verdict,
      boolean finishedEarly) {
    Map<Fault, Integer> byKind = new EnumMap<>(Fault.class);
    for (Fault f : Fault.values()) {
      byKind.put(f, 0);
    }
    rows.forEach(r -> byKind.merge(r.fault(), 1, Integer::sum));
    long[] healed = rows.stream().mapToLong(Row::healedMs).sorted().toArray();
    StringBuilder out = new StringBuilder();
    out.append("soak summary: seed=")
        .append(seed)
        .append(" minutes=")
        .append(minutes)
        .append(" events=")
        .append(events)
        .append(" faults=")
        .append(rows.size())
        .append(finishedEarly ? " (the job finished before the soak time was up)" : "")
        .append('\n');
    byKind.forEach((kind, n) -> out.append("  ").append(kind).append(": ").append(n).append('\n'));
    out.append("  job: state=")
        .append(job.get("state").asText())
        .append(" recoveries=")
        .append(job.get("recoveries").asInt())
        .append(" restarts_since_last_recovery=")
        .append(job.get("restarts").asInt())
        .append(" restoredFrom=")
        .append(job.get("restoredFrom"))
        .append('\n');
    if (healed.length > 0) {
      out.append("  healed_ms: median=")
          .append(healed[healed.length / 2])
          .append(" max=")
          .append(healed[healed.length - 1])
          .append('\n');
    }
    out.append("  verify: ").append(verdict.output());
    return out.toString();
  }
}
