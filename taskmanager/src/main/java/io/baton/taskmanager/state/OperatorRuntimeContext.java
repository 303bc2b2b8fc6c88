package io.baton.taskmanager.state;

import io.baton.api.functions.RuntimeContext;
import io.baton.api.functions.TaskInfo;
import io.baton.api.state.ListState;
import io.baton.api.state.ListStateDescriptor;
import io.baton.api.state.MapState;
import io.baton.api.state.MapStateDescriptor;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import java.util.Objects;

/**
 * The {@link RuntimeContext} one operator's function sees: which subtask it runs as, and, for keyed
 * operators, its keyed state.
 */
public final class OperatorRuntimeContext implements RuntimeContext {

  private final TaskInfo taskInfo;
  private final String operatorName;
  private final HeapKeyedStateBackend keyedState;

  private OperatorRuntimeContext(
      TaskInfo taskInfo, String operatorName, HeapKeyedStateBackend keyedState) {
    this.taskInfo = Objects.requireNonNull(taskInfo, "taskInfo");
    this.operatorName = Objects.requireNonNull(operatorName, "operatorName");
    this.keyedState = keyedState;
  }

  /** The context of an operator after a keyBy, whose state lives in {@code keyedState}. */
  public static OperatorRuntimeContext keyed(
      TaskInfo taskInfo, String operatorName, HeapKeyedStateBackend keyedState) {
    return new OperatorRuntimeContext(
        taskInfo, operatorName, Objects.requireNonNull(keyedState, "keyedState"));
  }

  /** The context of an operator without keyed state. */
  public static OperatorRuntimeContext nonKeyed(TaskInfo taskInfo, String operatorName) {
    return new OperatorRuntimeContext(taskInfo, operatorName, null);
  }

  @Override
  public <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor) {
    return keyedState().getValueState(descriptor);
  }

  @Override
  public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
    return keyedState().getListState(descriptor);
  }

  @Override
  public <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor) {
    return keyedState().getMapState(descriptor);
  }

  @Override
  public String jobId() {
    return taskInfo.jobId();
  }

  @Override
  public String taskName() {
    return taskInfo.taskName();
  }

  @Override
  public int subtaskIndex() {
    return taskInfo.subtaskIndex();
  }

  @Override
  public int parallelism() {
    return taskInfo.parallelism();
  }

  @Override
  public int maxParallelism() {
    return taskInfo.maxParallelism();
  }

  @Override
  public int attemptNumber() {
    return taskInfo.attemptNumber();
  }

  private HeapKeyedStateBackend keyedState() {
    if (keyedState == null) {
      throw new IllegalStateException(
          "keyed state is only available after keyBy: operator '" + operatorName + "'");
    }
    return keyedState;
  }
}
