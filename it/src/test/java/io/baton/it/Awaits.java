package io.baton.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waiting for a cluster to reach a condition, with a deadline and a name for the failure. */
final class Awaits {
  private Awaits() {}

  static void until(String what, Duration deadline, Callable<Boolean> condition) {
    await(what)
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(condition);
  }

  /** Waits until the job reaches {@code state} and fails fast if it reaches another final one. */
  static void jobState(RestApi rest, String jobId, String state, Duration deadline) {
    await("job " + jobId + " " + state)
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              String now;
              try {
                now = rest.jobState(jobId);
              } catch (RuntimeException | AssertionError notAnswering) {
                return false;
              }
              if (!now.equals(state)
                  && (now.equals("FAILED") || now.equals("CANCELED") || now.equals("FINISHED"))) {
                throw new AssertionError(
                    "job "
                        + jobId
                        + " ended "
                        + now
                        + " instead of "
                        + state
                        + ": "
                        + rest.getOk("/jobs/" + jobId));
              }
              return now.equals(state);
            });
  }
}
