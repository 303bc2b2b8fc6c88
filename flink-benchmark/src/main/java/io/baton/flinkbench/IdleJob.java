package io.baton.flinkbench;

import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The shape of {@link SchedulingJob} (an endless source, then a map with a discarding sink chained
 * to it, FORWARD, not chained: two vertices of P subtasks each) with a source that never emits: its
 * rate limiter never grants a record, so each subtask waits and costs no CPU. Many thousands of its
 * subtasks fit in one TaskManager JVM, which is what a JobManager with 10,000 subtasks running
 * needs. To keep each subtask to its task thread and the system timer thread every Flink task has,
 * the network buffer timeout is off (nothing is ever sent: no output flusher thread) and so are
 * periodic watermarks (no timer thread of the source's own).
 */
public final class IdleJob {
  private IdleJob() {}

  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setBufferTimeout(-1);
    // no periodic watermarks: each source subtask would get a timer thread of its own for them
    env.getConfig().setAutoWatermarkInterval(0);
    DataGeneratorSource<Long> source =
        new DataGeneratorSource<>(
            new SchedulingJob.Identity(), Long.MAX_VALUE, new NeverGranting(), Types.LONG);
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
        .map(new SchedulingJob.PassOn())
        .startNewChain()
        .name("pass-on")
        .sinkTo(new DiscardingSink<>())
        .name("discard");
    env.execute("idle");
  }

  /** A rate of nothing: the first permit is never granted, so the source waits forever. */
  static final class NeverGranting implements RateLimiterStrategy {
    @Override
    public RateLimiter createRateLimiter(int parallelism) {
      CompletableFuture<Void> never = new CompletableFuture<>();
      return () -> never;
    }
  }
}
