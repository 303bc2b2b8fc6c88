package io.baton.flinkbench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@link FlinkLedger}'s job with end-to-end latency, for the latency comparison: each booking
 * carries the wall-clock time its source made it (microseconds since the epoch), and a map in front
 * of the file sink records now minus that time per record into an HdrHistogram, which it writes on
 * close to {@code <histograms>/flink-<subtask>-<attempt>.hdr}, compressed and Base64-encoded as
 * Baton's side writes its own. The output lines are {@link FlinkLedger}'s, so its {@code --verify}
 * checks them.
 */
final class LatencyLedger {
  private LatencyLedger() {}

  /**
   * Adds the stamped source, running balance, latency recording and file sink to {@code env}.
   *
   * @param rate events per second over all source subtasks; 0 for as fast as possible
   */
  static void define(
      StreamExecutionEnvironment env,
      long events,
      int keys,
      long rate,
      String output,
      String histograms) {
    TypeInformation<Tuple4<Long, Integer, Long, Long>> type =
        TypeInformation.of(new TypeHint<Tuple4<Long, Integer, Long, Long>>() {});
    env.fromSource(
            FlinkLedger.source(new StampedBookings(keys), events, rate, type),
            WatermarkStrategy.noWatermarks(),
            "events")
        .uid("events")
        .keyBy(event -> event.f1, Types.INT)
        .process(new RunningBalance())
        .returns(TypeInformation.of(new TypeHint<Tuple2<String, Long>>() {}))
        .name("running-balance")
        .uid("running-balance")
        .map(new SinkLatency(histograms))
        .name("sink-latency")
        .uid("sink-latency")
        .addSink(FlinkLedger.fileSink(output))
        .name("ledger-files")
        .uid("ledger-files");
  }

  /** Wall-clock microseconds since the epoch: comparable between JVMs of one machine. */
  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Makes event i (account i % keys, amount i), stamped now. */
  static final class StampedBookings
      implements GeneratorFunction<Long, Tuple4<Long, Integer, Long, Long>> {
    private final int keys;

    StampedBookings(int keys) {
      this.keys = keys;
    }

    @Override
    public Tuple4<Long, Integer, Long, Long> map(Long index) {
      return Tuple4.of(index, (int) (index % keys), index, nowMicros());
    }
  }

  /**
   * Keeps each account's balance and writes every event with the balance after it and its stamp.
   */
  static final class RunningBalance
      extends KeyedProcessFunction<
          Integer, Tuple4<Long, Integer, Long, Long>, Tuple2<String, Long>> {
    private transient ValueState<Long> balance;

    @Override
    public void open(OpenContext context) {
      balance = getRuntimeContext().getState(new ValueStateDescriptor<>("balance", Types.LONG));
    }

    @Override
    public void processElement(
        Tuple4<Long, Integer, Long, Long> event,
        Context context,
        Collector<Tuple2<String, Long>> out)
        throws IOException {
      Long before = balance.value();
      long after = (before == null ? 0 : before) + event.f2;
      balance.update(after);
      out.collect(Tuple2.of(event.f0 + "\t" + event.f1 + "\t" + after, event.f3));
    }
  }

  /** Records each line's latency and hands the line on to the file sink. */
  static final class SinkLatency extends RichMapFunction<Tuple2<String, Long>, String> {
    private final String directory;
    private transient Histogram latencies;

    SinkLatency(String directory) {
      this.directory = directory;
    }

    @Override
    public void open(OpenContext context) {
      latencies = new Histogram(3);
      latencies.setAutoResize(true);
    }

    @Override
    public String map(Tuple2<String, Long> value) {
      latencies.recordValue(Math.max(0, nowMicros() - value.f1));
      return value.f0;
    }

    @Override
    public void close() throws IOException {
      if (latencies == null) {
        return;
      }
      ByteBuffer buffer = ByteBuffer.allocate(latencies.getNeededByteBufferCapacity());
      int length = latencies.encodeIntoCompressedByteBuffer(buffer);
      Path dir = Path.of(directory);
      Files.createDirectories(dir);
      var task = getRuntimeContext().getTaskInfo();
      Files.writeString(
          dir.resolve(
              "flink-" + task.getIndexOfThisSubtask() + "-" + task.getAttemptNumber() + ".hdr"),
          Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length)),
          StandardCharsets.US_ASCII);
    }
  }
}
