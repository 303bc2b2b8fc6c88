package io.baton.flinkbench;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The job of the scheduling comparison: an endless, slow source and a map with a discarding sink
 * chained to it, connected FORWARD (so no all-to-all channels) but not chained. At parallelism P
 * (from the submission) that is two vertices of P subtasks each, 2P subtasks in all; Baton's
 * counterpart has the same shape.
 *
 * <pre>--rate-per-subtask R   records per second each source subtask emits (default 10)</pre>
 */
public final class SchedulingJob {
  private SchedulingJob() {}

  public static void main(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    long rate = params.getLong("rate-per-subtask", 10) * env.getParallelism();
    DataGeneratorSource<Long> source =
        new DataGeneratorSource<>(
            new Identity(), Long.MAX_VALUE, RateLimiterStrategy.perSecond(rate), Types.LONG);
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
        .map(new PassOn())
        .startNewChain()
        .name("pass-on")
        .sinkTo(new DiscardingSink<>())
        .name("discard");
    env.execute("scheduling");
  }

  /** Record i is i. */
  static final class Identity implements GeneratorFunction<Long, Long> {
    @Override
    public Long map(Long index) {
      return index;
    }
  }

  /** Passes each record on unchanged. */
  static final class PassOn implements MapFunction<Long, Long> {
    @Override
    public Long map(Long value) {
      return value;
    }
  }
}
