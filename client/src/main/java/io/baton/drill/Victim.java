package io.baton.drill;

import java.util.List;

/**
 * The process one fault hits and how it is started again.
 *
 * @param target leader, standby, taskmanager or zookeeper
 * @param address its conf/masters line (JobManagers), its name (TaskManagers), its client address
 *     (ZooKeeper)
 * @param runsTasks whether it runs tasks of the drill's job (TaskManagers)
 * @param restart the bin/ script and arguments that start it again
 */
record Victim(
    FaultTarget target, long pid, String address, boolean runsTasks, List<String> restart) {

  /** {@code leader SIGKILL pid 4711 localhost:8081}. */
  String describe(FaultSignal signal) {
    return target.optionName() + " " + signal.signalName() + " pid " + pid + " " + address;
  }

  /** Whether it is a JobManager (whose REST API then may not answer for a while). */
  boolean isJobManager() {
    return target == FaultTarget.LEADER || target == FaultTarget.STANDBY;
  }
}
