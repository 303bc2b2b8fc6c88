package io.baton.taskmanager.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.rpc.TaskMetrics;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TaskIoMetricsTest {
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(5 * SECOND);
  private final TaskIoMetrics metrics =
      new TaskIoMetrics("0123456789abcdef0123456789abcdef", clock::get);

  @Test
  void reportsWhatTheTaskPublishedLast() {
    metrics.publish(10, 20, 300, 400, 0);
    metrics.publish(11, 22, 330, 440, 0);

    TaskMetrics snapshot = metrics.snapshot();

    assertThat(snapshot.getExecutionId()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(snapshot.getRecordsIn()).isEqualTo(11);
    assertThat(snapshot.getRecordsOut()).isEqualTo(22);
    assertThat(snapshot.getBytesIn()).isEqualTo(330);
    assertThat(snapshot.getBytesOut()).isEqualTo(440);
  }

  @Test
  void backpressureIsTheShareOfTimeBlockedSinceTheLastSnapshot() {
    clock.addAndGet(SECOND);
    metrics.publish(0, 0, 0, 0, SECOND / 4);
    assertThat(metrics.snapshot().getBackpressure()).isEqualTo(0.25);

    clock.addAndGet(2 * SECOND);
    metrics.publish(0, 0, 0, 0, SECOND / 4 + 2 * SECOND);
    assertThat(metrics.snapshot().getBackpressure()).isEqualTo(1.0);

    // too soon for a new sample: the last ratio stands
    clock.addAndGet(SECOND / 100);
    assertThat(metrics.snapshot().getBackpressure()).isEqualTo(1.0);

    clock.addAndGet(SECOND);
    assertThat(metrics.snapshot().getBackpressure()).isZero();
  }
}
