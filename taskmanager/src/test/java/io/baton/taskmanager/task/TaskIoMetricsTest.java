package io.baton.taskmanager.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.execution.TaskIoCounters;
import io.baton.common.ids.ExecutionId;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TaskIoMetricsTest {
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(5 * SECOND);
  private final TaskIoMetrics metrics =
      new TaskIoMetrics(new ExecutionId("0123456789abcdef0123456789abcdef"), clock::get);

  @Test
  void reportsWhatTheTaskPublishedLast() {
    metrics.publish(10, 20, 300, 400, 0);
    metrics.publish(11, 22, 330, 440, 0);

    TaskIoCounters snapshot = metrics.snapshot();

    assertThat(snapshot.executionId().value()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(snapshot.recordsIn()).isEqualTo(11);
    assertThat(snapshot.recordsOut()).isEqualTo(22);
    assertThat(snapshot.bytesIn()).isEqualTo(330);
    assertThat(snapshot.bytesOut()).isEqualTo(440);
  }

  @Test
  void backpressureIsTheShareOfTimeBlockedSinceTheLastSnapshot() {
    clock.addAndGet(SECOND);
    metrics.publish(0, 0, 0, 0, SECOND / 4);
    assertThat(metrics.snapshot().backpressure()).isEqualTo(0.25);

    clock.addAndGet(2 * SECOND);
    metrics.publish(0, 0, 0, 0, SECOND / 4 + 2 * SECOND);
    assertThat(metrics.snapshot().backpressure()).isEqualTo(1.0);

    // too soon for a new sample: the last ratio stands
    clock.addAndGet(SECOND / 100);
    assertThat(metrics.snapshot().backpressure()).isEqualTo(1.0);

    clock.addAndGet(SECOND);
    assertThat(metrics.snapshot().backpressure()).isZero();
  }
}
