package io.baton.taskmanager.operators;

import io.baton.api.connector.Sink;
import io.baton.api.connector.Source;
import io.baton.api.functions.Collector;
import io.baton.api.functions.FilterFunction;
import io.baton.api.functions.FlatMapFunction;
import io.baton.api.functions.KeySelector;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.api.functions.MapFunction;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorSpec;
import io.baton.taskmanager.state.HeapKeyedStateBackend;
import io.baton.taskmanager.state.OperatorRuntimeContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The operators of one subtask, connected by method calls: a record pushed into the head (or
 * emitted by the source) runs through every operator to the sink or the outgoing edges before the
 * call returns. Used only by the task's thread.
 */
public final class OperatorChain {

  private final List<ChainedOperator> operators; // head first
  private final List<OperatorSpec> specs; // head first
  private final SourceOperator source;
  private final List<SinkOperator> sinks;
  private final HeapKeyedStateBackend keyedState;
  private final CountingCollector counted;
  private final Deque<ChainedOperator> opened = new ArrayDeque<>();

  private OperatorChain(
      List<ChainedOperator> operators,
      List<OperatorSpec> specs,
      SourceOperator source,
      CountingCollector counted,
      List<SinkOperator> sinks,
      HeapKeyedStateBackend keyedState) {
    this.operators = operators;
    this.specs = specs;
    this.source = source;
    this.counted = counted;
    this.sinks = sinks;
    this.keyedState = keyedState;
  }

  /**
   * Builds the chain of {@code vertex}; its last operator emits to every one of {@code outputs}
   * (none for a sink).
   *
   * @throws IllegalArgumentException when an operator's function does not fit its kind
   */
  @SuppressWarnings("unchecked")
  public static OperatorChain create(
      JobVertex vertex, SubtaskInfo subtask, List<RecordWriter> outputs) {
    Collector<Object> next =
        switch (outputs.size()) {
          case 0 -> record -> {};
          case 1 -> outputs.get(0);
          default -> new FanOutCollector(outputs);
        };
    List<OperatorSpec> specs = vertex.chain();
    List<ChainedOperator> operators = new ArrayList<>();
    List<SinkOperator> sinks = new ArrayList<>();
    SourceOperator source = null;
    HeapKeyedStateBackend keyedState = null;
    CountingCollector sourceOut = null;
    for (int i = specs.size() - 1; i >= 0; i--) {
      OperatorSpec spec = specs.get(i);
      String name = spec.name();
      OperatorRuntimeContext context = OperatorRuntimeContext.nonKeyed(subtask, name);
      ChainedOperator operator;
      switch (spec.kind()) {
        case SOURCE -> {
          requireHead(vertex, i, spec);
          // the source's records count as the chain's input, as a gate's would
          sourceOut = new CountingCollector(next);
          source = new SourceOperator(name, function(spec, Source.class), subtask, sourceOut);
          operator = source;
        }
        case MAP ->
            operator = new MapOperator(name, function(spec, MapFunction.class), context, next);
        case FLAT_MAP ->
            operator =
                new FlatMapOperator(name, function(spec, FlatMapFunction.class), context, next);
        case FILTER ->
            operator =
                new FilterOperator(name, function(spec, FilterFunction.class), context, next);
        case KEYED_PROCESS -> {
          requireHead(vertex, i, spec);
          keyedState =
              HeapKeyedStateBackend.forSubtask(
                  name, subtask.subtaskIndex(), subtask.parallelism(), subtask.maxParallelism());
          operator =
              new KeyedProcessOperator(
                  name,
                  function(spec, KeyedProcessFunction.class),
                  (KeySelector<Object, Object>) spec.keySelector(),
                  keyedState,
                  OperatorRuntimeContext.keyed(subtask, name, keyedState),
                  next);
        }
        case SINK -> {
          if (i != specs.size() - 1) {
            throw new IllegalArgumentException(
                "sink '" + name + "' must end the chain of '" + vertex.name() + "'");
          }
          SinkOperator sink = new SinkOperator(name, function(spec, Sink.class), subtask);
          sinks.add(sink);
          operator = sink;
        }
        default -> throw new IllegalArgumentException("unknown operator kind " + spec.kind());
      }
      operators.add(0, operator);
      if (operator instanceof Collector<?> collector) {
        next = (Collector<Object>) collector;
      }
    }
    CountingCollector counted = sourceOut != null ? sourceOut : new CountingCollector(next);
    return new OperatorChain(operators, List.copyOf(specs), source, counted, sinks, keyedState);
  }

  /** The head's input, for chains fed by input gates. */
  public Collector<Object> input() {
    return counted;
  }

  /** The source heading this chain, if it has one. */
  public Optional<SourceOperator> source() {
    return Optional.ofNullable(source);
  }

  /** The keyed state of the chain's keyed head, if it has one. */
  public Optional<HeapKeyedStateBackend> keyedState() {
    return Optional.ofNullable(keyedState);
  }

  /** The uid of the chain's keyed head, if it has one. */
  public Optional<String> keyedOperatorUid() {
    return keyedState == null ? Optional.empty() : Optional.of(specs.get(0).uid());
  }

  /**
   * Hands restored state to the source or sink with this uid, to be restored when it opens.
   *
   * @return false when the chain has no such operator of that kind
   */
  public boolean restoreBeforeOpen(String kind, String operatorUid, RestoredOperatorState state) {
    for (int i = 0; i < operators.size(); i++) {
      if (!specs.get(i).uid().equals(operatorUid)) {
        continue;
      }
      ChainedOperator operator = operators.get(i);
      if (OperatorSnapshot.SOURCE.equals(kind) && operator instanceof SourceOperator s) {
        s.restoreBeforeOpen(state);
        return true;
      }
      if (OperatorSnapshot.SINK.equals(kind) && operator instanceof SinkOperator s) {
        s.restoreBeforeOpen(state);
        return true;
      }
    }
    return false;
  }

  /** Snapshots the source reader and sink writers of the chain (task thread, between records). */
  public List<OperatorSnapshot> snapshotOperatorState(long checkpointId) throws Exception {
    List<OperatorSnapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < operators.size(); i++) {
      ChainedOperator operator = operators.get(i);
      String uid = specs.get(i).uid();
      if (operator instanceof SourceOperator s) {
        snapshots.add(
            new OperatorSnapshot(i, uid, OperatorSnapshot.SOURCE, s.snapshotState(checkpointId)));
      } else if (operator instanceof SinkOperator s) {
        snapshots.add(
            new OperatorSnapshot(i, uid, OperatorSnapshot.SINK, s.snapshotState(checkpointId)));
      }
    }
    return snapshots;
  }

  /** Tells the source reader and sink writers that a checkpoint completed (sinks commit). */
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    if (source != null) {
      source.notifyCheckpointComplete(checkpointId);
    }
    for (SinkOperator sink : sinks) {
      sink.notifyCheckpointComplete(checkpointId);
    }
  }

  /** Records that entered the chain: from the inputs, or emitted by the source. */
  public long recordsIn() {
    return counted.count;
  }

  /** Records handed to the chain's sink writer. */
  public long recordsWritten() {
    long written = 0;
    for (SinkOperator sink : sinks) {
      written += sink.recordsWritten();
    }
    return written;
  }

  /** Opens every operator, last first, so no operator emits into one not yet open. */
  public void open() throws Exception {
    for (int i = operators.size() - 1; i >= 0; i--) {
      ChainedOperator operator = operators.get(i);
      opened.push(operator);
      operator.open();
    }
  }

  /** The input ended: each operator, head first, emits its final results and finishes. */
  public void endOfInput() throws Exception {
    for (ChainedOperator operator : operators) {
      operator.endOfInput();
    }
  }

  /**
   * Closes every opened operator, head first, even when some fail.
   *
   * @throws Exception the first failure, with later ones suppressed
   */
  public void close() throws Exception {
    Exception first = null;
    while (!opened.isEmpty()) {
      ChainedOperator operator = opened.pop();
      try {
        operator.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static void requireHead(JobVertex vertex, int index, OperatorSpec spec) {
    if (index != 0) {
      throw new IllegalArgumentException(
          "operator '"
              + spec.name()
              + "' ("
              + spec.kind()
              + ") must head the chain of '"
              + vertex.name()
              + "'");
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T function(OperatorSpec spec, Class<?> type) {
    Object function = spec.function();
    if (!type.isInstance(function)) {
      throw new IllegalArgumentException(
          "operator '"
              + spec.name()
              + "' ("
              + spec.kind()
              + ") needs a "
              + type.getSimpleName()
              + " but carries a "
              + function.getClass().getName());
    }
    return (T) function;
  }

  /** Counts the records entering the chain. */
  private static final class CountingCollector implements Collector<Object> {
    private final Collector<Object> target;
    private long count;

    CountingCollector(Collector<Object> target) {
      this.target = target;
    }

    @Override
    public void collect(Object record) {
      count++;
      target.collect(record);
    }
  }
}
