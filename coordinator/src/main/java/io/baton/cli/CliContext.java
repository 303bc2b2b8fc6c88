package io.baton.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What the commands share.
 *
 * @param out where results go
 * @param env the process environment (for BATON_CONF_DIR)
 * @param pollInterval how often {@code run} asks for its job's progress
 * @param clock to print unchanged progress now and then
 */
record CliContext(PrintWriter out, Map<String, String> env, Duration pollInterval, Clock clock) {

  /** Waits one poll interval before a command asks the JobManager again. */
  void awaitNextPoll() throws InterruptedException {
    Thread.sleep(pollInterval.toMillis());
  }
}
