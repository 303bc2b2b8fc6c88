package io.baton.examples;

import io.baton.api.connector.InputStatus;
import io.baton.api.connector.Sink;
import io.baton.api.connector.SinkWriter;
import io.baton.api.connector.Source;
import io.baton.api.connector.SourceReader;
import io.baton.api.functions.Collector;
import io.baton.api.functions.FilterFunction;
import io.baton.api.functions.FlatMapFunction;
import io.baton.api.functions.KeySelector;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.api.functions.MapFunction;
import io.baton.api.functions.RuntimeContext;
import io.baton.api.functions.UserFunction;
import io.baton.api.graph.JobEdge;
import io.baton.api.graph.JobGraph;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorSpec;
import io.baton.api.state.ListState;
import io.baton.api.state.ListStateDescriptor;
import io.baton.api.state.MapState;
import io.baton.api.state.MapStateDescriptor;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a bounded job graph in this thread, vertex by vertex in topological order, so the examples'
 * functions, sources and sinks can be checked end to end without a cluster. The graph goes through
 * Java serialization first, as it does on its way to a JobManager. Sources must not be rate
 * limited; only value state is offered. There are no checkpoints: a failed run leaves only
 * uncommitted sink output behind, and the next attempt starts from scratch.
 */
final class LocalJobRunner {
  private final Map<Integer, List<List<Object>>> inputs = new HashMap<>();
  private final int attempt;

  private LocalJobRunner(int attempt) {
    this.attempt = attempt;
  }

  static void run(JobGraph graph) throws Exception {
    run(graph, 0);
  }

  /** Runs the graph as attempt {@code attempt} of the job (0: the first run). */
  static void run(JobGraph graph, int attempt) throws Exception {
    new LocalJobRunner(attempt).execute(javaRoundTrip(graph).validate(64));
  }

  private static JobGraph javaRoundTrip(JobGraph graph) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(graph);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (JobGraph) in.readObject();
    }
  }

  private void execute(JobGraph graph) throws Exception {
    for (JobVertex vertex : graph.vertices()) {
      List<List<Object>> perSubtask = new ArrayList<>();
      for (int s = 0; s < vertex.parallelism(); s++) {
        perSubtask.add(new ArrayList<>());
      }
      inputs.put(vertex.id(), perSubtask);
    }
    for (JobVertex vertex : graph.vertices()) {
      for (int s = 0; s < vertex.parallelism(); s++) {
        runSubtask(graph, vertex, s);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void runSubtask(JobGraph graph, JobVertex vertex, int subtask) throws Exception {
    Info info =
        new Info(vertex.name(), subtask, vertex.parallelism(), vertex.maxParallelism(), attempt);
    List<AutoCloseable> toClose = new ArrayList<>();
    List<SinkWriter<Object>> writers = new ArrayList<>();
    Collector<Object> next = outputTo(graph, vertex, subtask);
    // build the chain back to front: each operator emits into the one after it
    KeyedHead keyed = null;
    for (int i = vertex.chain().size() - 1; i >= 1; i--) {
      next = operator(vertex.chain().get(i), info, next, writers, toClose);
    }
    OperatorSpec head = vertex.head();
    switch (head.kind()) {
      case SOURCE -> {
        SourceReader<Object> reader = ((Source<Object>) head.function()).createReader(info);
        reader.open();
        InputStatus status;
        while ((status = reader.pollNext(next)) != InputStatus.END_OF_INPUT) {
          if (status == InputStatus.NOTHING_AVAILABLE) {
            throw new IllegalStateException("the local runner runs sources without a rate only");
          }
        }
        reader.close();
      }
      case KEYED_PROCESS -> {
        keyed = new KeyedHead(info, (KeyedProcessFunction) head.function(), head.keySelector());
        for (Object record : inputs.get(vertex.id()).get(subtask)) {
          keyed.process(record, next);
        }
        keyed.endOfInput(next);
        keyed.function.close();
      }
      default -> {
        Collector<Object> first = operator(head, info, next, writers, toClose);
        inputs.get(vertex.id()).get(subtask).forEach(first::collect);
      }
    }
    for (SinkWriter<Object> writer : writers) {
      writer.finish();
    }
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  @SuppressWarnings("unchecked")
  private Collector<Object> operator(
      OperatorSpec spec,
      Info info,
      Collector<Object> next,
      List<SinkWriter<Object>> writers,
      List<AutoCloseable> toClose)
      throws Exception {
    if (spec.function() instanceof UserFunction function) {
      function.open(info);
      toClose.add(function::close);
    }
    return switch (spec.kind()) {
      case MAP -> {
        MapFunction<Object, Object> f = (MapFunction<Object, Object>) spec.function();
        yield record -> next.collect(unchecked(() -> f.map(record)));
      }
      case FLAT_MAP -> {
        FlatMapFunction<Object, Object> f = (FlatMapFunction<Object, Object>) spec.function();
        yield record ->
            unchecked(
                () -> {
                  f.flatMap(record, next);
                  return null;
                });
      }
      case FILTER -> {
        FilterFunction<Object> f = (FilterFunction<Object>) spec.function();
        yield record -> {
          if (unchecked(() -> f.filter(record))) {
            next.collect(record);
          }
        };
      }
      case SINK -> {
        SinkWriter<Object> writer = ((Sink<Object>) spec.function()).createWriter(info);
        writer.open();
        writers.add(writer);
        toClose.add(writer);
        yield record ->
            unchecked(
                () -> {
                  writer.write(record);
                  return null;
                });
      }
      default -> throw new IllegalStateException(spec.kind() + " cannot be chained here");
    };
  }

  private Collector<Object> outputTo(JobGraph graph, JobVertex vertex, int subtask) {
    List<JobEdge> edges = graph.outputsOf(vertex.id());
    int[] roundRobin = new int[edges.size()];
    return record -> {
      for (int e = 0; e < edges.size(); e++) {
        JobEdge edge = edges.get(e);
        List<List<Object>> targets = inputs.get(edge.targetVertexId());
        switch (edge.partitioning()) {
          case FORWARD -> targets.get(subtask).add(record);
          case HASH -> {
            @SuppressWarnings("unchecked")
            KeySelector<Object, Object> key = (KeySelector<Object, Object>) edge.keySelector();
            Object k = unchecked(() -> key.getKey(record));
            targets.get(Math.floorMod(k.hashCode(), targets.size())).add(record);
          }
          case REBALANCE -> targets.get(roundRobin[e]++ % targets.size()).add(record);
          case BROADCAST -> targets.forEach(t -> t.add(record));
        }
      }
    };
  }

  private interface Call<T> {
    T call() throws Exception;
  }

  private static <T> T unchecked(Call<T> call) {
    try {
      return call.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A keyed operator with value state per key. */
  private static final class KeyedHead {
    final KeyedProcessFunction<Object, Object, Object> function;
    final KeySelector<Object, Object> keySelector;
    final Map<Object, Map<String, Object>> state = new LinkedHashMap<>();
    Object currentKey;

    @SuppressWarnings("unchecked")
    KeyedHead(
        Info info,
        KeyedProcessFunction<Object, Object, Object> function,
        KeySelector<?, ?> keySelector)
        throws Exception {
      this.function = function;
      this.keySelector = (KeySelector<Object, Object>) keySelector;
      info.keyed = this;
      function.open(info);
    }

    void process(Object record, Collector<Object> out) throws Exception {
      currentKey = keySelector.getKey(record);
      function.processElement(record, () -> currentKey, out);
    }

    void endOfInput(Collector<Object> out) throws Exception {
      function.endOfInput(
          visitor -> {
            for (Object key : new ArrayList<>(state.keySet())) {
              currentKey = key;
              visitor.visit(key);
            }
          },
          out);
    }

    Map<String, Object> current() {
      return state.computeIfAbsent(currentKey, k -> new HashMap<>());
    }
  }

  private static final class Info implements RuntimeContext {
    final String name;
    final int subtask;
    final int parallelism;
    final int maxParallelism;
    final int attempt;
    KeyedHead keyed;

    Info(String name, int subtask, int parallelism, int maxParallelism, int attempt) {
      this.name = name;
      this.subtask = subtask;
      this.parallelism = parallelism;
      this.maxParallelism = maxParallelism;
      this.attempt = attempt;
    }

    @Override
    public String jobId() {
      return "00000000000000000000000000000000";
    }

    @Override
    public String taskName() {
      return name;
    }

    @Override
    public int subtaskIndex() {
      return subtask;
    }

    @Override
    public int parallelism() {
      return parallelism;
    }

    @Override
    public int maxParallelism() {
      return maxParallelism;
    }

    @Override
    public int attemptNumber() {
      return attempt;
    }

    @Override
    public <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor) {
      if (keyed == null) {
        throw new IllegalStateException("keyed state needs keyBy");
      }
      String name = descriptor.getName();
      return new ValueState<>() {
        @Override
        public T value() {
          return descriptor.getType().cast(keyed.current().get(name));
        }

        @Override
        public void update(T value) {
          keyed.current().put(name, value);
        }

        @Override
        public void clear() {
          keyed.current().remove(name);
        }
      };
    }

    @Override
    public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
      throw new UnsupportedOperationException("the local runner offers value state only");
    }

    @Override
    public <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor) {
      throw new UnsupportedOperationException("the local runner offers value state only");
    }
  }
}
