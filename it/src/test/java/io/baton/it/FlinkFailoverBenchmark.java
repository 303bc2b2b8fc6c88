package io.baton.it;

import static io.baton.it.FailoverComparisonSettings.CHECKPOINT_INTERVAL_MS;
import static io.baton.it.FailoverComparisonSettings.EVENTS;
import static io.baton.it.FailoverComparisonSettings.JOB_MANAGER_JVM;
import static io.baton.it.FailoverComparisonSettings.KEYS;
import static io.baton.it.FailoverComparisonSettings.PARALLELISM;
import static io.baton.it.FailoverComparisonSettings.POLL;
import static io.baton.it.FailoverComparisonSettings.RATE;
import static io.baton.it.FailoverComparisonSettings.RUNS;
import static io.baton.it.FailoverComparisonSettings.SESSION_TIMEOUTS;
import static io.baton.it.FailoverComparisonSettings.SLOTS;
import static io.baton.it.FailoverComparisonSettings.TASK_MANAGER_JVM;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JobManager failover side by side with Apache Flink 1.20.1, part {@code failover} of the
 * comparison table: a Flink session cluster with ZooKeeper HA ({@link FlinkHaCluster}) and a Baton
 * cluster ({@link HaCluster}), each two JobManagers and one TaskManager with 2 slots, one JVM per
 * process with the same heap, on the same ZooKeeper server (under different root znodes) with the
 * same session timeout, heartbeats, restart strategy and checkpoint interval, run the Ledger logic
 * at parallelism 2, rate-limited. The leading JobManager is killed with SIGKILL; the time until the
 * job runs again is taken; a replacement JobManager is then started so there are always two, and
 * the next kill waits for it to join the election and for a checkpoint after the recovery. The two
 * sides run one after the other in the same test, each measured by the same loop:
 *
 * <ul>
 *   <li>recovery: the kill (just before SIGKILL is sent) → the first poll (every 20 ms) at which
 *       {@code GET /jobs/{id}} on the new leader's REST answers {@code state} RUNNING and every
 *       vertex has {@code tasks.RUNNING == parallelism}, with evidence that the new leader
 *       recovered it (Baton: its {@code recoveries} went up; Flink: the job's JobMaster leader
 *       session in ZooKeeper changed, and the REST endpoint asked is the one ZooKeeper names as
 *       leader);
 *   <li>detection: the kill → the ZooKeeper modification time of the leader information the new
 *       leader publishes once it has read the stored job graphs (Baton: {@code
 *       /baton/<id>/leader/info}; Flink: {@code <root>/<id>/leader/dispatcher/connection_info}),
 *       found by the same 20 ms poll.
 * </ul>
 *
 * <p>The comparison runs once per ZooKeeper session timeout of {@code
 * -Dbenchmark.failover.session-timeouts-ms} (60000,6000: the shipped 60 s, where Baton's standbys
 * find the killed leader by probing it long before its session expires, and 6 s), each time with
 * fresh clusters and jobs on both sides.
 *
 * <p>Both jobs are bounded; once the failovers are done the benchmark waits for them to finish and
 * runs each side's own Ledger verifier on the output. It reports the median, min and max per side
 * and the ratio Baton/Flink to {@code it/target/comparison-failover.md}, per session timeout; it
 * never asserts a figure and fails only when a side cannot start. Settings: {@code
 * -Dbenchmark.failover.runs} (5), {@code -Dbenchmark.failover.session-timeouts-ms} (60000,6000),
 * {@code -Dbenchmark.failover.checkpoint-interval-ms} (1000), {@code -Dbenchmark.failover.rate}
 * (2000 events/s), {@code -Dbenchmark.failover.events} (enough for the runs at that rate).
 */
class FlinkFailoverBenchmark {
  private static final String BENCHMARK = "failover (SIGKILL leader JobManager)";

  @TempDir Path workDir;
  private ZooKeeperEnsemble zooKeeper;
  private final List<FailoverSide> sides = new ArrayList<>();

  /**
   * One failover, in epoch milliseconds, and how many tasks the new leader started again (adopted
   * ones keep running).
   */
  record Failover(
      long killed, long published, long allRunning, long checkpointed, int tasksRestarted) {
    long detection() {
      return published - killed;
    }

    long recovery() {
      return allRunning - killed;
    }

    /** Kill → the first checkpoint completed after it: when exactly-once output commits again. */
    long toCheckpoint() {
      return checkpointed - killed;
    }

    long afterPublished() {
      return allRunning - published;
    }
  }

  /** What one side measured, and how its output checked out. */
  record Outcome(List<Failover> runs, String note, String verdict, boolean exact) {}

  @AfterEach
  void tearDown() throws Exception {
    for (FailoverSide side : sides) {
      side.close();
    }
    if (zooKeeper != null) {
      zooKeeper.close();
    }
  }

  @Test
  void leaderKilledFlinkAndBaton() throws Exception {
    zooKeeper = ZooKeeperEnsemble.single();
    ComparisonReport report = new ComparisonReport("failover");
    for (Duration session : SESSION_TIMEOUTS) {
      String tag = session.toMillis() + "ms";
      FlinkFailoverSide flink =
          new FlinkFailoverSide(workDir.resolve("flink-" + tag), zooKeeper, session);
      BatonFailoverSide baton =
          new BatonFailoverSide(workDir.resolve("baton-" + tag), zooKeeper, session);
      sides.add(flink);
      sides.add(baton);
      Outcome flinkOutcome = measure(flink, session);
      flink.close();
      Outcome batonOutcome = measure(baton, session);
      baton.close();
      addRows(report, session, batonOutcome, flinkOutcome);
    }
    addSettings(report);
    report.write();
  }

  /** Starts the side's cluster and job, runs the failovers, waits for the end, verifies. */
  private Outcome measure(FailoverSide side, Duration session) throws Exception {
    try {
      side.start();
    } catch (Exception | AssertionError e) {
      throw new AssertionError(
          side.name() + " side cannot start: " + e.getMessage() + side.logsTail(3_000), e);
    }
    List<Failover> runs = new ArrayList<>();
    String note = "";
    for (int run = 1; run <= RUNS; run++) {
      try {
        if (side.jobEnded()) {
          note = "job ended after " + runs.size() + " failovers; raise benchmark.failover.events";
          break;
        }
        Failover failover = failover(side, session);
        runs.add(failover);
        System.out.printf(
            Locale.ROOT,
            "%s failover %d at a %d ms session: new leader %d ms, all tasks RUNNING %d ms,"
                + " checkpoint completed %d ms, %d tasks restarted%n",
            side.name(),
            run,
            session.toMillis(),
            failover.detection(),
            failover.recovery(),
            failover.toCheckpoint(),
            failover.tasksRestarted());
      } catch (Exception | AssertionError e) {
        note = "run " + run + " not measured: " + e.getMessage();
        System.out.println(side.name() + ": " + note + side.logsTail(2_000));
        break;
      }
    }
    String verdict;
    boolean exact = false;
    try {
      String end = side.awaitEnd(Duration.ofSeconds(EVENTS / RATE * 2 + 180));
      if (end.equals("FINISHED")) {
        LedgerVerifier.Result result = side.verify();
        exact = result.exitCode() == 0;
        verdict = (exact ? "exact: " : "NOT exact: ") + result.output();
      } else {
        verdict = "not verified: job " + end;
      }
    } catch (Exception | AssertionError e) {
      verdict = "not verified: " + e.getMessage();
    }
    System.out.println(side.name() + " output: " + verdict);
    return new Outcome(runs, note, verdict, exact);
  }

  /**
   * Kills the side's leader, polls every 20 ms until the job runs again under the new leader,
   * starts a replacement JobManager and waits for the cluster to be back in shape.
   */
  private Failover failover(FailoverSide side, Duration session) throws Exception {
    side.beforeKill();
    long killed = System.currentTimeMillis();
    side.killLeader();
    AtomicLong published = new AtomicLong(-1);
    AtomicLong allRunning = new AtomicLong(-1);
    await(side.name() + ": job RUNNING again under a new leader")
        .atMost(session.plus(Duration.ofMinutes(3)))
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () -> {
              if (published.get() < 0) {
                side.newLeaderPublished().ifPresent(published::set);
              }
              if (published.get() >= 0 && side.recovered()) {
                allRunning.set(System.currentTimeMillis());
                return true;
              }
              return false;
            });
    AtomicLong checkpointed = new AtomicLong(-1);
    await(side.name() + ": a checkpoint completed after the kill")
        .atMost(Duration.ofMinutes(2))
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () -> {
              FailoverReadings.firstCheckpointCompletedSince(
                      side.leaderRest(), side.jobId(), killed)
                  .ifPresent(checkpointed::set);
              return checkpointed.get() >= 0;
            });
    int restarted = FailoverReadings.tasksStartedSince(side.leaderRest(), side.jobId(), killed);
    // the replacement starts after the measurement: its JVM start-up would compete for the CPU
    side.restoreShape();
    return new Failover(killed, published.get(), allRunning.get(), checkpointed.get(), restarted);
  }

  /** The rows of one session timeout, and its per-run figures and notes as settings. */
  private static void addRows(
      ComparisonReport report, Duration session, Outcome baton, Outcome flink) {
    String at = "at a " + session.toMillis() / 1000.0 + " s session: ";
    String runsMeasure = "of " + RUNS + " kills";
    if (baton.runs().isEmpty() || flink.runs().isEmpty()) {
      report.rowWithout(
          BENCHMARK,
          at + "kill → job RUNNING again, all tasks RUNNING (ms)",
          summary(baton.runs(), Failover::recovery),
          summary(flink.runs(), Failover::recovery),
          "not measured on both sides: " + (baton.note() + " " + flink.note()).trim());
    } else {
      report
          .row(
              BENCHMARK,
              at + "kill → new leader's address in ZooKeeper, median " + runsMeasure + " (ms)",
              median(baton.runs(), Failover::detection),
              median(flink.runs(), Failover::detection))
          .row(
              BENCHMARK,
              at + "kill → job RUNNING again, all tasks RUNNING: median " + runsMeasure + " (ms)",
              median(baton.runs(), Failover::recovery),
              median(flink.runs(), Failover::recovery))
          .row(
              BENCHMARK,
              at + "kill → job RUNNING again, all tasks RUNNING: min (ms)",
              min(baton.runs(), Failover::recovery),
              min(flink.runs(), Failover::recovery))
          .row(
              BENCHMARK,
              at + "kill → job RUNNING again, all tasks RUNNING: max (ms)",
              max(baton.runs(), Failover::recovery),
              max(flink.runs(), Failover::recovery))
          .row(
              BENCHMARK,
              at + "new leader's address in ZooKeeper → all tasks RUNNING, median (ms)",
              median(baton.runs(), Failover::afterPublished),
              median(flink.runs(), Failover::afterPublished))
          .row(
              BENCHMARK,
              at
                  + "kill → first checkpoint completed after it (exactly-once output commits"
                  + " again): median "
                  + runsMeasure
                  + " (ms)",
              median(baton.runs(), Failover::toCheckpoint),
              median(flink.runs(), Failover::toCheckpoint))
          .row(
              BENCHMARK,
              at + "tasks restarted per kill, median " + runsMeasure,
              median(baton.runs(), Failover::tasksRestarted),
              median(flink.runs(), Failover::tasksRestarted));
    }
    report.rowWithout(
        BENCHMARK,
        at + "Ledger output after the kills, each side's verifier",
        baton.verdict(),
        flink.verdict(),
        baton.exact() && flink.exact() ? "both exact" : "see the verdicts");
    report.setting(
        "failover at a "
            + session.toMillis()
            + " ms session: every run (recovery ms): Baton "
            + values(baton.runs(), Failover::recovery)
            + ", Flink "
            + values(flink.runs(), Failover::recovery)
            + "; new leader (detection) ms: Baton "
            + values(baton.runs(), Failover::detection)
            + ", Flink "
            + values(flink.runs(), Failover::detection)
            + "; first checkpoint after the kill ms: Baton "
            + values(baton.runs(), Failover::toCheckpoint)
            + ", Flink "
            + values(flink.runs(), Failover::toCheckpoint)
            + "; tasks restarted: Baton "
            + values(baton.runs(), Failover::tasksRestarted)
            + ", Flink "
            + values(flink.runs(), Failover::tasksRestarted));
    for (Outcome outcome : List.of(baton, flink)) {
      if (!outcome.note().isEmpty()) {
        report.setting(
            "failover at a "
                + session.toMillis()
                + " ms session: "
                + (outcome == baton ? "Baton" : "Flink")
                + ": "
                + outcome.note());
      }
    }
  }

  /** The settings all session timeouts share. */
  private static void addSettings(ComparisonReport report) {
    report
        .setting(
            "failover: each side 2 JobManagers + 1 TaskManager with "
                + SLOTS
                + " slots, one JVM each, run one side after the other on one ZooKeeper server"
                + " (curator-test TestingServer in the test JVM, 250 ms tick) under different"
                + " root znodes; JobManager JVMs "
                + String.join(" ", JOB_MANAGER_JVM)
                + ", TaskManager JVMs "
                + String.join(" ", TASK_MANAGER_JVM)
                + " (Flink's also with the --add-opens of its distribution for Java 17)")
        .setting(
            "failover: ZooKeeper session timeouts "
                + SESSION_TIMEOUTS.stream()
                    .map(d -> d.toMillis() + " ms")
                    .collect(Collectors.joining(" and "))
                + " in turn (high-availability.zookeeper.client.session-timeout on both; Baton's"
                + " standbys also probe the leader, high-availability.zookeeper.leader-probe.*"
                + " at their defaults: 200 ms × 3), heartbeats every 250 ms with a 3 s timeout (heartbeat.interval/heartbeat.timeout on"
                + " both), restart strategy fixed-delay 10 × 200 ms on both; Flink's other"
                + " settings at their defaults (cluster.registration.*,"
                + " heartbeat.rpc-failure-threshold 2, slot.request.timeout), hashmap state on"
                + " file:// checkpoints, web.refresh-interval 10 ms so its REST does not serve"
                + " a cached job")
        .setting(
            String.format(
                Locale.ROOT,
                "failover: Ledger (Baton's examples jar; Flink: io.baton.flinkbench.FlinkLedger"
                    + " submitted with POST /jars/upload and /jars/{id}/run) at parallelism %d,"
                    + " %,d events on %d keys at %,d events/s, checkpoints every %d ms",
                PARALLELISM,
                EVENTS,
                KEYS,
                RATE,
                CHECKPOINT_INTERVAL_MS))
        .setting(
            "failover: recovery = SIGKILL of the leader → first poll (every 20 ms, 1 s request"
                + " timeout) where GET /jobs/{id} on the new leader's REST answers RUNNING with"
                + " tasks.RUNNING == parallelism for every vertex, and the job was recovered by"
                + " the new leader (Baton: \"recoveries\" went up; Flink: the job's JobMaster"
                + " session in <root>/<id>/leader/job-<job id>/connection_info changed)")
        .setting(
            "failover: Baton runs with jobmanager.failover.reconcile: true (the new leader adopts"
                + " the running tasks; Flink restarts every task from its latest checkpoint);"
                + " first checkpoint = SIGKILL → latest_ack_timestamp of the earliest checkpoint"
                + " in the new leader's GET /jobs/{id}/checkpoints history that completed after"
                + " the kill; tasks restarted = subtasks whose RUNNING time in GET /jobs/{id}"
                + "/vertices/{vid}/subtasktimes is after the kill (adopted ones keep theirs)")
        .setting(
            "failover: detection = SIGKILL → ZooKeeper mtime of the leader information the new"
                + " leader writes after reading the stored job graphs (Baton /baton/<id>/leader"
                + "/info; Flink <root>/<id>/leader/dispatcher/connection_info); after each"
                + " measurement a replacement JobManager is started, and the next kill waits"
                + " until it contends and a checkpoint completed after the recovery")
        .setting(
            "failover: verifiers: Baton's ledger --verify checks every event once with its"
                + " running balance; FlinkLedger --verify checks every event once and each"
                + " account's final balance (Flink's generator splits make the intermediate"
                + " balances timing-dependent)");
  }

  private static String values(List<Failover> runs, ToLongFunction<Failover> measure) {
    return runs.stream()
        .map(f -> Long.toString(measure.applyAsLong(f)))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String summary(List<Failover> runs, ToLongFunction<Failover> measure) {
    if (runs.isEmpty()) {
      return "n/a";
    }
    return MedianRange.format(runs.stream().mapToLong(measure).toArray());
  }

  private static long median(List<Failover> runs, ToLongFunction<Failover> measure) {
    return MedianRange.median(runs.stream().mapToLong(measure).toArray());
  }

  private static long min(List<Failover> runs, ToLongFunction<Failover> measure) {
    return runs.stream().mapToLong(measure).min().orElseThrow();
  }

  private static long max(List<Failover> runs, ToLongFunction<Failover> measure) {
    return runs.stream().mapToLong(measure).max().orElseThrow();
  }
}
