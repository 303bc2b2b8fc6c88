package io.baton.it.jobs;

import io.baton.api.StreamEnvironment;
import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.connectors.GeneratorFunction;
import io.baton.api.connectors.GeneratorSource;
import io.baton.api.functions.MapFunction;
import io.baton.api.functions.TaskInfo;

/**
 * The job of the scheduling comparison with Flink: an endless, slow source and a map with a
 * discarding sink chained to it, connected FORWARD but not chained. At parallelism P (from the
 * submission) that is two vertices of P subtasks each, 2P subtasks in all, the same shape as
 * io.baton.flinkbench.SchedulingJob on Flink.
 *
 * <pre>--rate-per-subtask R   records per second each source subtask emits (default 10)</pre>
 */
public final class SchedulingJob {
  private SchedulingJob() {}

  public static void main(String[] args) throws Exception {
    long ratePerSubtask = 10;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--rate-per-subtask")) {
        ratePerSubtask = Long.parseLong(args[i + 1]);
      }
    }
    StreamEnvironment env = StreamEnvironment.getEnvironment();
    double rate = (double) ratePerSubtask * env.getParallelism();
    env.fromSource(
            new GeneratorSource<>(new Identity(), GeneratorSource.UNBOUNDED, rate), "numbers")
        .disableChaining()
        .map(new PassOn())
        .name("pass-on")
        .sinkTo(new Discard())
        .name("discard");
    env.execute("scheduling");
  }

  /** Record i is i. */
  static final class Identity implements GeneratorFunction<Long> {
    @Override
    public Long generate(long index) {
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

  /** Drops every record. */
  static final class Discard implements Sink<Long> {
    @Override
    public SinkWriter<Long> createWriter(TaskInfo taskInfo) {
      return record -> {};
    }
  }
}
