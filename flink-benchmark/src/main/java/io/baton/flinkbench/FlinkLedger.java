package io.baton.flinkbench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.filesystem.StreamingFileSink;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.Collector;

/**
 * Baton's Ledger example written for Apache Flink, for the side-by-side benchmarks: N bookings on K
 * accounts, each account's running balance in keyed state, every booking written with the balance
 * after it as {@code <event>\t<account>\t<balance>} through an exactly-once file sink (Flink's
 * {@code StreamingFileSink}, with a buffered line writer as Baton's file sink has one: the row
 * format writes each record unbuffered to a local file, which would measure system calls). Event
 * {@code i} books amount {@code i} on account {@code i % K}, as in Baton's.
 *
 * <p>One difference: Flink's generator source hands each subtask a contiguous range of indexes, so
 * an account's events come from more than one source subtask and the intermediate balances depend
 * on timing. {@code --verify} therefore checks what does not: every event written exactly once, and
 * each account's final balance (its largest, as amounts are positive).
 *
 * <pre>
 * run:    --events N --keys K --output DIR [--rate R] [--parallelism P] [--checkpoint-interval MS]
 *         [--latency-histograms DIR]
 * verify: --verify DIR --events N --keys K      prints lost=&lt;n&gt; duplicated=&lt;n&gt;
 * </pre>
 */
public final class FlinkLedger {
  private FlinkLedger() {}

  public static void main(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    long events = params.getLong("events");
    int keys = params.getInt("keys", 1000);
    if (params.has("verify")) {
      Verification result = verify(Path.of(params.get("verify")), events, keys);
      System.out.println(result);
      System.exit(result.exact() ? 0 : 1);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    defineFrom(params, env);
    env.execute("ledger");
  }

  /**
   * Sets parallelism and checkpointing on {@code env} from the command line and adds the ledger's
   * job: this class's, or with {@code --latency-histograms DIR} {@link LatencyLedger}'s.
   */
  public static void defineFrom(ParameterTool params, StreamExecutionEnvironment env) {
    env.setParallelism(params.getInt("parallelism", 2));
    long interval = params.getLong("checkpoint-interval", 1000);
    if (interval > 0) {
      env.enableCheckpointing(interval);
    }
    long events = params.getLong("events");
    int keys = params.getInt("keys", 1000);
    long rate = params.getLong("rate", 0);
    String output = params.getRequired("output");
    if (params.has("latency-histograms")) {
      LatencyLedger.define(env, events, keys, rate, output, params.get("latency-histograms"));
    } else {
      define(env, events, keys, rate, output);
    }
  }

  /**
   * Adds the ledger's source, running balance and file sink to {@code env}.
   *
   * @param rate events per second over all source subtasks; 0 for as fast as possible
   */
  public static void define(
      StreamExecutionEnvironment env, long events, int keys, long rate, String output) {
    TypeInformation<Tuple3<Long, Integer, Long>> type =
        TypeInformation.of(new TypeHint<Tuple3<Long, Integer, Long>>() {});
    env.fromSource(
            source(new Bookings(keys), events, rate, type),
            WatermarkStrategy.noWatermarks(),
            "events")
        .uid("events")
        .keyBy(event -> event.f1, Types.INT)
        .process(new RunningBalance())
        .name("running-balance")
        .uid("running-balance")
        .addSink(fileSink(output))
        .name("ledger-files")
        .uid("ledger-files");
  }

  /**
   * A generator source of {@code events} records at {@code rate} records per second over all its
   * subtasks (Flink's rate limiter gives each subtask its share), or as fast as possible at 0.
   */
  static <T> DataGeneratorSource<T> source(
      GeneratorFunction<Long, T> generator, long events, long rate, TypeInformation<T> type) {
    return new DataGeneratorSource<>(
        generator,
        events,
        rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(),
        type);
  }

  /** The exactly-once file sink of the ledger's lines, rolled at every checkpoint. */
  static StreamingFileSink<String> fileSink(String output) {
    return StreamingFileSink.forBulkFormat(
            new org.apache.flink.core.fs.Path(output), new BufferedLines.Factory())
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .build();
  }

  /** Makes event i: account i % keys, amount i. */
  static final class Bookings implements GeneratorFunction<Long, Tuple3<Long, Integer, Long>> {
    private final int keys;

    Bookings(int keys) {
      this.keys = keys;
    }

    @Override
    public Tuple3<Long, Integer, Long> map(Long index) {
      return Tuple3.of(index, (int) (index % keys), index);
    }
  }

  /** Keeps each account's balance and writes every event with the balance after it. */
  static final class RunningBalance
      extends KeyedProcessFunction<Integer, Tuple3<Long, Integer, Long>, String> {
    private transient ValueState<Long> balance;

    @Override
    public void open(OpenContext context) {
      balance = getRuntimeContext().getState(new ValueStateDescriptor<>("balance", Types.LONG));
    }

    @Override
    public void processElement(
        Tuple3<Long, Integer, Long> event, Context context, Collector<String> out)
        throws IOException {
      Long before = balance.value();
      long after = (before == null ? 0 : before) + event.f2;
      balance.update(after);
      out.collect(event.f0 + "\t" + event.f1 + "\t" + after);
    }
  }

  /** What {@link #verify} found. */
  record Verification(long lost, long duplicated, long wrongBalances) {
    boolean exact() {
      return lost == 0 && duplicated == 0 && wrongBalances == 0;
    }

    @Override
    public String toString() {
      return "lost="
          + lost
          + " duplicated="
          + duplicated
          + " wrong_final_balances="
          + wrongBalances;
    }
  }

  /**
   * Reads the committed part files under {@code dir} (Flink keeps uncommitted ones hidden, their
   * names start with a dot) and checks every event is there once and every account's largest
   * balance is the sum of its amounts.
   */
  static Verification verify(Path dir, long events, int keys) throws IOException {
    BitSet seen = new BitSet();
    long duplicated = 0;
    long[] largest = new long[keys];
    List<Path> parts;
    try (Stream<Path> files = Files.walk(dir)) {
      parts =
          files
              .filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .collect(Collectors.toList());
    }
    for (Path part : parts) {
      try (BufferedReader reader = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          String[] fields = line.split("\t");
          int index = Math.toIntExact(Long.parseLong(fields[0]));
          if (seen.get(index)) {
            duplicated++;
          }
          seen.set(index);
          int key = Integer.parseInt(fields[1]);
          largest[key] = Math.max(largest[key], Long.parseLong(fields[2]));
        }
      }
    }
    long lost = events - seen.cardinality();
    long wrong = 0;
    for (int key = 0; key < keys; key++) {
      if (largest[key] != expectedFinalBalance(key, keys, events)) {
        wrong++;
      }
    }
    return new Verification(lost, duplicated, wrong);
  }

  /** The sum of the indexes {@code i < events} with {@code i % keys == key}. */
  static long expectedFinalBalance(int key, int keys, long events) {
    if (key >= events) {
      return 0;
    }
    long count = (events - 1 - key) / keys + 1;
    return count * key + (long) keys * count * (count - 1) / 2;
  }
}
