package io.baton.drill;

import java.time.Duration;
import java.util.List;

/**
 * How long the drill's faults take, from the cluster's timeouts: how long a SIGSTOP pauses, how
 * long to watch for a failover, and how many events keep the Ledger job running through all faults
 * when {@code --events} is not given.
 */
record DrillTimes(Duration sessionTimeout, Duration heartbeatTimeout) {
  /** Slack past a timeout, for expiry checks that run on a tick. */
  static final Duration SLACK = Duration.ofSeconds(5);

  /** Start-up of the job, and allowance per fault for restarting and redeploying. */
  static final Duration ALLOWANCE = Duration.ofSeconds(30);

  /**
   * How long SIGSTOP keeps the target paused: past the ZooKeeper session timeout (JobManagers and
   * ZooKeeper) or the heartbeat timeout (TaskManagers); zero for other signals.
   */
  Duration pause(FaultTarget target, FaultSignal signal) {
    if (signal != FaultSignal.STOP) {
      return Duration.ZERO;
    }
    return (target == FaultTarget.TASKMANAGER ? heartbeatTimeout : sessionTimeout).plus(SLACK);
  }

  /** How long until the cluster notices the fault: the timeout it waits out, if any. */
  Duration noticed(FaultTarget target, FaultSignal signal) {
    Duration waited =
        switch (target) {
          case LEADER -> signal == FaultSignal.TERM ? Duration.ZERO : sessionTimeout;
          case STANDBY -> Duration.ZERO;
          case TASKMANAGER -> heartbeatTimeout;
          case ZOOKEEPER -> sessionTimeout;
          case RANDOM -> throw new IllegalArgumentException("random is not a target of its own");
        };
    Duration paused = pause(target, signal);
    return waited.compareTo(paused) > 0 ? waited : paused;
  }

  /** The events the job needs at {@code rate} to outlast {@code kills} faults on the targets. */
  long defaultEvents(
      int kills, List<FaultTarget> targets, FaultSignal signal, Duration interval, long rate) {
    Duration perFault =
        targets.stream()
            .map(t -> noticed(t, signal))
            .max(Duration::compareTo)
            .orElse(sessionTimeout)
            .plus(ALLOWANCE)
            .plus(interval);
    Duration total = ALLOWANCE.plus(perFault.multipliedBy(kills)).plus(ALLOWANCE);
    return Math.min(Integer.MAX_VALUE, total.toSeconds() * rate);
  }

  /** How long the job may take to run again after a fault before the drill gives up on it. */
  Duration recoveryDeadline() {
    return sessionTimeout.plus(heartbeatTimeout).plus(Duration.ofMinutes(3));
  }
}
