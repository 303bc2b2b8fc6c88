package io.baton.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The benchmarks' way of timing a job's change: poll its REST answer until a condition holds and
 * take the time the answer that showed it arrived.
 */
final class JobPoll {
  private JobPoll() {}

  /**
   * Polls {@code fetch} every {@code interval} (an exception, in the fetch or the condition, counts
   * as "not yet") until {@code condition} holds for its answer; returns the epoch milliseconds read
   * right after the fetch of that answer.
   */
  static long firstSeenAt(
      String description,
      Duration deadline,
      Duration interval,
      Callable<JsonNode> fetch,
      Predicate<JsonNode> condition) {
    AtomicLong at = new AtomicLong();
    await(description)
        .atMost(deadline)
        .pollInterval(interval)
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode job = fetch.call();
              long now = System.currentTimeMillis();
              if (condition.test(job)) {
                at.set(now);
                return true;
              }
              return false;
            });
    return at.get();
  }
}
