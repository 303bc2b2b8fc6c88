package io.baton.drill;

import io.baton.drill.ClusterRest.Leader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Follows the cluster after one fault until the job runs again, and reads the fault's figures from
 * what the JobManagers report over REST: detection from the new leader's {@code leaderSince},
 * recovery from the subtasks' RUNNING times ({@code subtasktimes}) or, when the new leader adopted
 * the running tasks, from its {@code ADOPTED} event, the checkpoint from {@code
 * restored-checkpoint} or {@code restoredFrom} ({@code reconciled} for an adoption). Resumes a
 * paused victim once its pause is over.
 */
final class RecoveryWatch {
  private static final Duration POLL = Duration.ofMillis(250);

  private final ClusterRest rest;
  private final List<String> masters;
  private final FaultInjector injector;
  private final Poller poller;
  private final Clock clock;

  RecoveryWatch(ClusterRest rest, List<String> masters, FaultInjector injector, Poller poller) {
    this.rest = rest;
    this.masters = masters;
    this.injector = injector;
    this.poller = poller;
    this.clock = poller.clock();
  }

  /**
   * What to wait for after one fault.
   *
   * @param pause how long a SIGSTOPped victim stays paused (zero for other signals)
   * @param quiet how long after the victim is back a job that was not disturbed counts as "no
   *     failover"; null when the fault must cause a failover
   * @param deadline how long after the fault the job must run again
   */
  record Expectation(Duration pause, Duration quiet, Duration deadline) {}

  FaultResult watch(
      int number,
      String jobId,
      Victim victim,
      FaultSignal signal,
      Leader oldLeader,
      FaultInjector.Injected fault,
      Expectation expect)
      throws InterruptedException {
    long t0 = fault.at();
    boolean paused = signal == FaultSignal.STOP;
    long backAt = paused ? -1 : clock.millis();
    long deadline = t0 + expect.pause().toMillis() + expect.deadline().toMillis();
    String hit = victim.describe(signal);
    String lastLeader = "-";
    while (true) {
      long now = clock.millis();
      if (paused && now >= t0 + expect.pause().toMillis()) {
        injector.resume(victim, fault);
        paused = false;
        backAt = clock.millis();
      }
      // a paused JobManager would hold every request for the whole timeout
      Set<String> skip = paused && victim.isJobManager() ? Set.of(victim.address()) : Set.of();
      Optional<Leader> leader = rest.leader(masters, skip);
      if (leader.isPresent()) {
        lastLeader = leader.get().id();
        Optional<JobSnapshot> job = JobSnapshot.fetch(rest, leader.get().restUrl(), jobId);
        if (job.isPresent()) {
          Optional<FaultResult> result =
              judge(number, hit, oldLeader, leader.get(), job.get(), t0, paused, backAt, expect);
          if (result.isPresent()) {
            return result.get();
          }
        }
      }
      if (clock.millis() > deadline && !paused) {
        return new FaultResult(
            number,
            hit,
            oldLeader.id(),
            lastLeader,
            null,
            null,
            "-",
            FaultResult.Outcome.NOT_RECOVERED);
      }
      poller.pause(POLL);
    }
  }

  /** The fault's result if the snapshot settles it, else empty (keep watching). */
  Optional<FaultResult> judge(
      int number,
      String hit,
      Leader oldLeader,
      Leader leader,
      JobSnapshot job,
      long t0,
      boolean paused,
      long backAt,
      Expectation expect) {
    boolean leaderChanged = !leader.leaderTokenDigest().equals(oldLeader.leaderTokenDigest());
    Long detection = leaderChanged ? leader.since() - t0 : null;
    if (job.terminal()) {
      return paused
          ? Optional.empty()
          : Optional.of(
              new FaultResult(
                  number,
                  hit,
                  oldLeader.id(),
                  leader.id(),
                  detection,
                  null,
                  "-",
                  job.finished()
                      ? FaultResult.Outcome.JOB_FINISHED
                      : FaultResult.Outcome.NOT_RECOVERED));
    }
    if (paused) {
      return Optional.empty();
    }
    if (leaderChanged && job.reconciledSince(t0)) {
      // adopted: no task stopped, so the job ran again once the new leader took its tasks over
      return Optional.of(
          new FaultResult(
              number,
              hit,
              oldLeader.id(),
              leader.id(),
              detection,
              job.reconciledAt() - t0,
              FaultResult.RECONCILED,
              FaultResult.Outcome.FAILOVER));
    }
    if (leaderChanged || job.restartedSince(t0)) {
      OptionalLong runningAt = job.allRunningAgainAt(t0);
      if (runningAt.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new FaultResult(
              number,
              hit,
              oldLeader.id(),
              leader.id(),
              detection,
              runningAt.getAsLong() - t0,
              restoredFrom(job, t0, leaderChanged),
              FaultResult.Outcome.FAILOVER));
    }
    boolean quietLongEnough =
        expect.quiet() != null && clock.millis() >= backAt + expect.quiet().toMillis();
    if (quietLongEnough && job.allRunning()) {
      return Optional.of(
          new FaultResult(
              number,
              hit,
              oldLeader.id(),
              leader.id(),
              null,
              null,
              "-",
              FaultResult.Outcome.NO_FAILOVER));
    }
    return Optional.empty();
  }

  private static String restoredFrom(JobSnapshot job, long t0, boolean leaderChanged) {
    if (job.restoredCheckpoint() > 0 && job.restoreTimestamp() >= t0) {
      return "chk-" + job.restoredCheckpoint();
    }
    if (leaderChanged && job.recoveredFromCheckpoint() > 0) {
      return "chk-" + job.recoveredFromCheckpoint();
    }
    return "none";
  }
}
