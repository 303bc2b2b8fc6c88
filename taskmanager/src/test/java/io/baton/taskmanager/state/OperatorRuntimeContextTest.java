package io.baton.taskmanager.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.functions.TaskInfo;
import io.baton.api.state.ListStateDescriptor;
import io.baton.api.state.MapStateDescriptor;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import org.junit.jupiter.api.Test;

class OperatorRuntimeContextTest {
  private final TaskInfo info =
      new TaskInfo() {
        @Override
        public String jobId() {
          return "0123456789abcdef0123456789abcdef";
        }

        @Override
        public String taskName() {
          return "map -> sink";
        }

        @Override
        public int subtaskIndex() {
          return 2;
        }

        @Override
        public int parallelism() {
          return 4;
        }

        @Override
        public int maxParallelism() {
          return 64;
        }

        @Override
        public int attemptNumber() {
          return 1;
        }
      };

  @Test
  void tellsWhichSubtaskRuns() {
    OperatorRuntimeContext context = OperatorRuntimeContext.nonKeyed(info, "map");

    assertThat(context.jobId()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(context.taskName()).isEqualTo("map -> sink");
    assertThat(context.subtaskIndex()).isEqualTo(2);
    assertThat(context.parallelism()).isEqualTo(4);
    assertThat(context.maxParallelism()).isEqualTo(64);
    assertThat(context.attemptNumber()).isEqualTo(1);
  }

  @Test
  void withoutKeyByEveryStateGetterNamesTheOperator() {
    OperatorRuntimeContext context = OperatorRuntimeContext.nonKeyed(info, "enrich");
    String expected = "keyed state is only available after keyBy: operator 'enrich'";

    assertThatThrownBy(() -> context.getState(new ValueStateDescriptor<>("v", Long.class)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(expected);
    assertThatThrownBy(() -> context.getListState(new ListStateDescriptor<>("l", Long.class)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(expected);
    assertThatThrownBy(
            () -> context.getMapState(new MapStateDescriptor<>("m", String.class, Long.class)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(expected);
  }

  @Test
  void afterKeyByStateComesFromTheOperatorsBackend() {
    HeapKeyedStateBackend backend = HeapKeyedStateBackend.forSubtask("count", 2, 4, 64);
    OperatorRuntimeContext context = OperatorRuntimeContext.keyed(info, "count", backend);
    ValueState<Long> count = context.getState(new ValueStateDescriptor<>("count", Long.class));
    Object key =
        java.util.stream.IntStream.range(0, 1000)
            .boxed()
            .filter(
                k ->
                    backend
                        .keyGroupRange()
                        .contains(io.baton.common.state.KeyGroups.keyGroupFor(k, 64)))
            .findFirst()
            .orElseThrow();

    backend.setCurrentKey(key);
    count.update(5L);

    assertThat(backend.keys()).containsExactly(key);
    assertThat(backend.size("count")).isEqualTo(1);
  }
}
