package io.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.JobExecutor;
import io.baton.api.StreamEnvironment;
import io.baton.api.connector.InputStatus;
import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.connector.Source;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.Collector;
import io.baton.api.functions.TaskInfo;
import io.baton.api.graph.JobGraph;
import io.baton.coordinator.jobmaster.JobSubmission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that could produce far faster than its sink consumes, on TaskManagers whose heap is much
 * smaller than the data: only backpressure (bounded buffers, credits) lets the job finish.
 */
class BackpressureTest {
  private static final int RECORDS = 120_000;
  private static final int RECORD_BYTES = 1024;
  // 120 MB through TaskManagers with 80 MB of heap each
  private static final String TASK_MANAGER_HEAP = "-Xmx80m";

  @TempDir Path workDir;
  private LocalCluster cluster;
  private final List<JvmProcess> taskManagers = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (JvmProcess tm : taskManagers) {
      tm.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void slowSinkSlowsTheSourceAndHeapStaysBounded() throws Exception {
    cluster = LocalCluster.start(workDir, 0, 1);
    for (int i = 0; i < 2; i++) {
      taskManagers.add(
          cluster.startTaskManagerProcess(
              "tm" + i, 1, List.of(TASK_MANAGER_HEAP, "-XX:+ExitOnOutOfMemoryError")));
    }
    cluster.awaitTaskManagers(2);

    Path counts = workDir.resolve("counts");
    Files.createDirectories(counts);
    // source parallelism 1, sink parallelism 2: one sink shares the source's slot (local
    // channel), the other runs on the other TaskManager (remote channel)
    AtomicReference<JobGraph> graph = new AtomicReference<>();
    StreamEnvironment env = StreamEnvironment.withExecutor(capturing(graph));
    env.fromSource(new PayloadSource(RECORDS, RECORD_BYTES), "payloads")
        .setParallelism(1)
        .rebalance()
        .sinkTo(new ThrottledCountingSink(counts.toString(), 8L * 1024 * 1024))
        .setParallelism(2);
    env.execute("backpressure");

    String jobId =
        cluster
            .jobManager()
            .dispatcher()
            .submitJob(
                new JobSubmission(graph.get().validate(16), Optional.empty(), Optional.empty()))
            .get(30, TimeUnit.SECONDS)
            .toString();
    Awaits.jobState(cluster.rest(), jobId, "FINISHED", Duration.ofMinutes(3));

    long received = 0;
    for (int subtask = 0; subtask < 2; subtask++) {
      received += Long.parseLong(Files.readString(counts.resolve("sink-" + subtask)).trim());
    }
    assertThat(received).isEqualTo(RECORDS);
    for (JvmProcess tm : taskManagers) {
      assertThat(tm.isAlive()).as("%s survived", tm.name()).isTrue();
      assertThat(tm.logText()).doesNotContain("OutOfMemoryError");
    }
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

  /** Emits {@code count} strings of {@code bytes} characters as fast as it is let. */
  static final class PayloadSource implements Source<String> {
    private final int count;
    private final int bytes;

    PayloadSource(int count, int bytes) {
      this.count = count;
      this.bytes = bytes;
    }

    @Override
    public SourceReader<String> createReader(TaskInfo taskInfo) {
      String payload = "x".repeat(bytes);
      return new SourceReader<>() {
        private int emitted;

        @Override
        public InputStatus pollNext(Collector<String> output) {
          if (emitted == count) {
            return InputStatus.END_OF_INPUT;
          }
          // distinct records, so nothing can be deduplicated along the way
          output.collect(emitted + payload.substring(Integer.toString(emitted).length()));
          emitted++;
          return InputStatus.MORE_AVAILABLE;
        }
      };
    }

    @Override
    public boolean isBounded() {
      return true;
    }
  }

  /**
   * Consumes at most {@code bytesPerSecond}; writes how many records it saw when the input ends.
   */
  static final class ThrottledCountingSink implements Sink<String> {
    private final String dir;
    private final long bytesPerSecond;

    ThrottledCountingSink(String dir, long bytesPerSecond) {
      this.dir = dir;
      this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public SinkWriter<String> createWriter(TaskInfo taskInfo) {
      return new SinkWriter<>() {
        private final long start = System.nanoTime();
        private long bytes;
        private long records;

        @Override
        public void write(String record) {
          records++;
          bytes += record.length();
          long due = start + bytes * 1_000_000_000L / bytesPerSecond;
          long now = System.nanoTime();
          if (due > now) {
            LockSupport.parkNanos(due - now);
          }
        }

        @Override
        public void finish() throws Exception {
          Files.writeString(
              Path.of(dir, "sink-" + taskInfo.subtaskIndex()), Long.toString(records));
        }
      };
    }
  }
}
