package io.baton.it;

import io.baton.api.StreamEnvironment;
import io.baton.api.connectors.FileSink;
import io.baton.api.connectors.GeneratorFunction;
import io.baton.api.connectors.GeneratorSource;
import io.baton.api.connectors.SubtaskAssigner;
import io.baton.api.functions.Collector;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.api.functions.MapFunction;
import io.baton.api.functions.RuntimeContext;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Baton's Ledger job with end-to-end latency, for {@link FlinkLatencyBenchmark}: the examples'
 * {@code ledger} logic (event i books amount i on account i % K, all of an account's events from
 * one source subtask, keyed running balances, exactly-once file output of {@code
 * <event>\t<account>\t<balance>}) with each event stamped by its source (wall clock, microseconds)
 * and the map in front of the file sink recording now minus that stamp per record into an
 * HdrHistogram, written on close to {@code --latency-histograms DIR} (see {@link
 * LatencyHistograms}). The output lines are the examples' own, so {@code ledger --verify} checks
 * them. HdrHistogram comes from the TaskManager's class path (Baton's {@code lib/} has it).
 *
 * <pre>
 * --events N --keys K --rate R --checkpoint-interval MS --output DIR --latency-histograms DIR
 * </pre>
 */
public final class LatencyLedgerJob {
  private LatencyLedgerJob() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int keys = Integer.parseInt(options.get("keys"));
    StreamEnvironment env = StreamEnvironment.getEnvironment();
    env.enableCheckpointing(Duration.ofMillis(Long.parseLong(options.get("checkpoint-interval"))));
    env.fromSource(
            new GeneratorSource<>(
                new StampedBookings(keys),
                Long.parseLong(options.get("events")),
                Double.parseDouble(options.get("rate")),
                new ByAccount(keys)),
            "events")
        .uid("events")
        .keyBy(StampedBooking::key)
        .process(new RunningBalance())
        .name("running-balance")
        .uid("running-balance")
        .map(new SinkLatency(options.get("latency-histograms")))
        .name("sink-latency")
        .uid("sink-latency")
        .sinkTo(new FileSink<>(options.get("output")))
        .name("ledger-files")
        .uid("ledger-files");
    env.execute("ledger-latency");
  }

  /** A booking with the wall-clock time its source made it, in microseconds since the epoch. */
  public record StampedBooking(long index, int key, long amount, long stampMicros) {}

  /** A ledger line and the stamp of the booking it came from. */
  public record StampedLine(String line, long stampMicros) {}

  /** Makes event i, stamped now. */
  static final class StampedBookings implements GeneratorFunction<StampedBooking> {
    private final int keys;

    StampedBookings(int keys) {
      this.keys = keys;
    }

    @Override
    public StampedBooking generate(long index) {
      return new StampedBooking(index, (int) (index % keys), index, LatencyHistograms.nowMicros());
    }
  }

  /** Sends all events of an account to one source subtask, so they stay in order. */
  static final class ByAccount implements SubtaskAssigner {
    private final int keys;

    ByAccount(int keys) {
      this.keys = keys;
    }

    @Override
    public int subtaskFor(long index, int parallelism) {
      return (int) ((index % keys) % parallelism);
    }
  }

  /** Keeps each account's balance and writes every event with the balance after it. */
  static final class RunningBalance
      extends KeyedProcessFunction<Integer, StampedBooking, StampedLine> {
    private transient ValueState<Long> balance;

    @Override
    public void open(RuntimeContext context) {
      balance = context.getState(new ValueStateDescriptor<>("balance", Long.class));
    }

    @Override
    public void processElement(
        StampedBooking event, Context<Integer> context, Collector<StampedLine> out) {
      Long before = balance.value();
      long after = (before == null ? 0 : before) + event.amount();
      balance.update(after);
      out.collect(
          new StampedLine(event.index() + "\t" + event.key() + "\t" + after, event.stampMicros()));
    }
  }

  /** Records each line's latency and hands the line on to the file sink. */
  static final class SinkLatency implements MapFunction<StampedLine, String> {
    private final String directory;
    private transient Histogram latencies;
    private transient String fileName;

    SinkLatency(String directory) {
      this.directory = directory;
    }

    @Override
    public void open(RuntimeContext context) {
      latencies = LatencyHistograms.newHistogram();
      fileName = "baton-" + context.subtaskIndex() + "-" + context.attemptNumber();
    }

    @Override
    public String map(StampedLine value) {
      latencies.recordValue(Math.max(0, LatencyHistograms.nowMicros() - value.stampMicros()));
      return value.line();
    }

    @Override
    public void close() throws Exception {
      if (latencies != null) {
        LatencyHistograms.write(latencies, Path.of(directory), fileName);
      }
    }
  }
}
