package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.api.JobExecutor;
import io.baton.api.StreamEnvironment;
import io.baton.api.connector.InputStatus;
import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.connector.Source;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.Collector;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.api.functions.RuntimeContext;
import io.baton.api.functions.TaskInfo;
import io.baton.api.graph.JobGraph;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import io.baton.coordinator.jobmaster.JobSubmission;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint duration and throughput for 100 MB and 1 GB of keyed state on file://, next to the raw
 * write speed of the same disk measured with dd and fsync in the same run. One keyed subtask holds
 * all the state, so one writer is compared with one dd stream. Reports to stdout and {@code
 * it/target/benchmark-checkpoints.md}.
 */
class CheckpointBenchmark {
  private static final int VALUE_BYTES = 1024;
  private static final Pattern DD = Pattern.compile("(\\d+) bytes .* copied, ([0-9.]+) s");

  @TempDir Path workDir;
  private LocalCluster cluster;
  private final List<JvmProcess> taskManagers = new ArrayList<>();
  private final StringBuilder report = new StringBuilder();

  @AfterEach
  void tearDown() throws Exception {
    for (JvmProcess tm : taskManagers) {
      tm.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    BenchmarkReportFile.write("benchmark-checkpoints.md", report);
  }

  @Test
  void checkpointThroughputAgainstRawDiskSpeed() throws Exception {
    Path checkpoints = workDir.resolve("checkpoints");
    Files.createDirectories(checkpoints);
    cluster =
        LocalCluster.start(
            workDir,
            0,
            1,
            config ->
                config
                    .setString("state.checkpoints.dir", checkpoints.toUri().toString())
                    .setString("execution.checkpointing.timeout", "10 min"));
    taskManagers.add(
        cluster.startTaskManagerProcess("tm0", 1, List.of("-Xmx8g", "-XX:+UseParallelGC")));
    cluster.awaitTaskManagers(1);

    report.append("## Checkpoints of keyed state on file:// against the raw disk\n\n");
    report.append(
        "| keyed state | checkpoint size | checkpoint duration (median of 3) | checkpoint MB/s | dd + fsync MB/s (same disk, median of 3) | ratio |\n");
    report.append("|---|---|---|---|---|---|\n");
    for (int megabytes : new int[] {100, 1000}) {
      measure(megabytes, checkpoints);
    }
    report
        .append("\nOne TaskManager JVM (-Xmx8g, ParallelGC), parallelism 1, values of ")
        .append(VALUE_BYTES)
        .append(" bytes in ValueState, checkpoints every 3 s once the state is loaded; ")
        .append(
            "dd writes the same number of bytes with bs=1M conv=fsync into the checkpoint directory (median of three).\n\n")
        .append(RuntimeBenchmark.machine())
        .append("\n");
  }

  private void measure(int megabytes, Path checkpointDir) throws Exception {
    int keys = megabytes * 1024 * 1024 / VALUE_BYTES;
    AtomicReference<JobGraph> graph = new AtomicReference<>();
    StreamEnvironment env = StreamEnvironment.withExecutor(capturing(graph));
    env.enableCheckpointing(Duration.ofSeconds(3));
    env.fromSource(new KeyedValues(keys, VALUE_BYTES), "values")
        .keyBy(v -> ByteBuffer.wrap(v).getInt())
        .process(new Remember())
        .sinkTo(new Discard());
    env.execute("state-" + megabytes + "mb");
    String jobId =
        cluster
            .jobManager()
            .dispatcher()
            .submitJob(
                new JobSubmission(graph.get().validate(16), Optional.empty(), Optional.empty()))
            .get(30, TimeUnit.SECONDS)
            .toString();
    RestApi rest = cluster.rest();
    Awaits.jobState(rest, jobId, "RUNNING", Duration.ofMinutes(1));
    Awaits.until(
        "state of " + megabytes + " MB loaded",
        Duration.ofMinutes(10),
        () ->
            rest.getOk("/jobs/" + jobId)
                    .get("vertices")
                    .get(1)
                    .get("metrics")
                    .get("read-records")
                    .asLong()
                >= keys);
    long loadedAfter = checkpointsCompleted(rest, jobId);
    Awaits.until(
        "three checkpoints of the full state",
        Duration.ofMinutes(20),
        () -> checkpointsCompleted(rest, jobId) >= loadedAfter + 4);

    List<Long> durations = new ArrayList<>();
    long size = 0;
    for (JsonNode entry : rest.getOk("/jobs/" + jobId + "/checkpoints").get("history")) {
      if (entry.get("status").asText().equals("COMPLETED")
          && entry.get("id").asLong() > loadedAfter + 1) {
        durations.add(entry.get("end_to_end_duration").asLong());
        size = Math.max(size, entry.get("state_size").asLong());
      }
    }
    assertThat(durations).isNotEmpty();
    durations.sort(null);
    long median = durations.get(durations.size() / 2);
    assertThat(rest.patch("/jobs/" + jobId + "?mode=cancel").status()).isEqualTo(202);
    Awaits.jobState(rest, jobId, "CANCELED", Duration.ofMinutes(1));

    // the disk's speed varies from run to run on a shared machine: median of three
    List<Double> dd = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      dd.add(ddWithFsync(checkpointDir, size));
    }
    dd.sort(null);
    double ddMbPerSecond = dd.get(1);
    double checkpointMbPerSecond = size / 1e6 / (median / 1000.0);
    report.append(
        String.format(
            Locale.ROOT,
            "| %d MB | %.1f MB | %d ms | %.0f | %.0f | %.2f |%n",
            megabytes,
            size / 1e6,
            median,
            checkpointMbPerSecond,
            ddMbPerSecond,
            checkpointMbPerSecond / ddMbPerSecond));
  }

  private static long checkpointsCompleted(RestApi rest, String jobId) {
    return rest.getOk("/jobs/" + jobId + "/checkpoints").get("counts").get("completed").asLong();
  }

  private static double ddWithFsync(Path dir, long bytes) throws Exception {
    long megabytes = Math.max(1, bytes / (1024 * 1024));
    Process dd =
        new ProcessBuilder(
                "dd",
                "if=/dev/zero",
                "of=" + dir.resolve("dd.bin"),
                "bs=1M",
                "count=" + megabytes,
                "conv=fsync")
            .redirectErrorStream(true)
            .start();
    String output = new String(dd.getInputStream().readAllBytes());
    assertThat(dd.waitFor(10, TimeUnit.MINUTES)).isTrue();
    Files.deleteIfExists(dir.resolve("dd.bin"));
    Matcher m = DD.matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return Long.parseLong(m.group(1)) / 1e6 / Double.parseDouble(m.group(2));
  }

  private static JobExecutor capturing(AtomicReference<JobGraph> graph) {
    return new JobExecutor() {
      @Override
      public int defaultParallelism() {
        return 1;
      }

      @Override
      public void execute(JobGraph g) {
        graph.set(g);
      }
    };
  }

  /** Emits one value per key, then stays idle, so checkpoints see a fixed amount of state. */
  static final class KeyedValues implements Source<byte[]> {
    private final int keys;
    private final int valueBytes;

    KeyedValues(int keys, int valueBytes) {
      this.keys = keys;
      this.valueBytes = valueBytes;
    }

    @Override
    public SourceReader<byte[]> createReader(TaskInfo taskInfo) {
      return new SourceReader<>() {
        private int next;

        @Override
        public InputStatus pollNext(Collector<byte[]> output) {
          if (next == keys) {
            return InputStatus.NOTHING_AVAILABLE;
          }
          byte[] value = new byte[valueBytes];
          ByteBuffer.wrap(value).putInt(next).putInt(next * 31);
          output.collect(value);
          next++;
          return InputStatus.MORE_AVAILABLE;
        }

        @Override
        public long nanosUntilAvailable() {
          return 10_000_000L;
        }

        @Override
        public byte[] snapshotState(long checkpointId) {
          return ByteBuffer.allocate(4).putInt(next).array();
        }

        @Override
        public void restoreState(byte[] state) {
          next = ByteBuffer.wrap(state).getInt();
        }
      };
    }

    @Override
    public boolean isBounded() {
      return false;
    }
  }

  /** Keeps the latest value per key. */
  static final class Remember extends KeyedProcessFunction<Integer, byte[], Integer> {
    private transient ValueState<byte[]> value;

    @Override
    public void open(RuntimeContext context) {
      value = context.getState(new ValueStateDescriptor<>("value", byte[].class));
    }

    @Override
    public void processElement(byte[] in, Context<Integer> context, Collector<Integer> out) {
      value.update(in);
    }
  }

  /** Drops everything. */
  static final class Discard implements Sink<Integer> {
    @Override
    public SinkWriter<Integer> createWriter(TaskInfo taskInfo) {
      return record -> {};
    }
  }
}
