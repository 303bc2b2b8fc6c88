package io.baton.taskmanager.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.baton.api.functions.TaskInfo;
import io.baton.api.graph.JobVertex;
import io.baton.api.graph.OperatorKind;
import io.baton.api.graph.OperatorSpec;
import io.baton.api.graph.Partitioning;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import io.baton.api.tuple.Tuple2;
import io.baton.taskmanager.task.TestRecordSerializer;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorChainTest {
  private static final SubtaskInfo SUBTASK =
      new SubtaskInfo("0123456789abcdef0123456789abcdef", "chain", 0, 1, 16, 0);

  private final List<String> events = new ArrayList<>();
  private final List<Object> written = new ArrayList<>();

  @Test
  void recordsRunThroughEveryOperatorIntoTheSink() throws Exception {
    OperatorChain chain =
        chain(
            op("parse", OperatorKind.MAP, (MapFunction<String, Integer>) Integer::parseInt),
            op("positive", OperatorKind.FILTER, (FilterFunction<Integer>) x -> x > 0),
            op(
                "repeat",
                OperatorKind.FLAT_MAP,
                (FlatMapFunction<Integer, Integer>)
                    (x, out) -> {
                      for (int i = 0; i < x; i++) {
                        out.collect(x);
                      }
                    }),
            op("collect", OperatorKind.SINK, sink()));
    chain.open();

    for (String s : List.of("2", "-1", "0", "3")) {
      chain.input().collect(s);
    }

    assertThat(written).containsExactly(2, 2, 3, 3, 3);
    assertThat(chain.recordsIn()).isEqualTo(4);
    assertThat(chain.recordsWritten()).isEqualTo(5);
    assertThat(chain.source()).isEmpty();
    assertThat(chain.keyedState()).isEmpty();
  }

  @Test
  void opensLastOperatorFirstAndClosesHeadFirst() throws Exception {
    OperatorChain chain =
        chain(
            op("first", OperatorKind.MAP, new Lifecycle("first", events)),
            op("second", OperatorKind.MAP, new Lifecycle("second", events)),
            op("collect", OperatorKind.SINK, sink()));

    chain.open();
    chain.endOfInput();
    chain.close();
    chain.close();

    assertThat(events)
        .containsExactly(
            "open sink",
            "open second",
            "open first",
            "finish sink",
            "close first",
            "close second",
            "close sink");
  }

  @Test
  void closeClosesEveryOperatorAndReportsTheFirstFailure() throws Exception {
    OperatorChain chain =
        chain(
            op("first", OperatorKind.MAP, new Lifecycle("first", events, "close fails")),
            op("second", OperatorKind.MAP, new Lifecycle("second", events, "close fails too")),
            op("collect", OperatorKind.SINK, sink()));
    chain.open();

    assertThatThrownBy(chain::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("close fails")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    assertThat(events).endsWith("close first", "close second", "close sink");
  }

  @Test
  void onlyOpenedOperatorsAreClosedWhenOpenFails() throws Exception {
    OperatorChain chain =
        chain(
            op("first", OperatorKind.MAP, new Lifecycle("first", events)),
            op("broken", OperatorKind.MAP, new FailingOpen()),
            op("collect", OperatorKind.SINK, sink()));

    assertThatThrownBy(chain::open).hasMessage("cannot open");
    chain.close();

    assertThat(events).containsExactly("open sink", "close sink");
  }

  @Test
  void keyedHeadSeesTheRecordsKeyAndEmitsPerKeyResultsBeforeTheSinkFinishes() throws Exception {
    KeySelector<Tuple2<String, Integer>, String> byName = Tuple2::f0;
    OperatorChain chain =
        chain(
            new OperatorSpec("sum", "sum", OperatorKind.KEYED_PROCESS, new Sum(), byName),
            op("collect", OperatorKind.SINK, sink()));
    chain.open();

    chain.input().collect(Tuple2.of("a", 1));
    chain.input().collect(Tuple2.of("b", 10));
    chain.input().collect(Tuple2.of("a", 2));
    chain.endOfInput();

    assertThat(written.subList(0, 3)).containsExactly("a:1", "b:10", "a:3");
    assertThat(written.subList(3, 5)).containsExactlyInAnyOrder("total a=3", "total b=10");
    assertThat(events).containsExactly("open sink", "finish sink");
    assertThat(chain.keyedState().orElseThrow().keys()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void aCheckedExceptionOfAFunctionCrossesTheChainAndUnwrapsToItself() throws Exception {
    IOException cause = new IOException("bad input");
    OperatorChain chain =
        chain(
            op(
                "fails",
                OperatorKind.MAP,
                (MapFunction<Object, Object>)
                    x -> {
                      throw cause;
                    }),
            op("collect", OperatorKind.SINK, sink()));
    chain.open();

    assertThatThrownBy(() -> chain.input().collect("x"))
        .isInstanceOf(OperatorException.class)
        .hasMessage("operator 'fails' failed: java.io.IOException: bad input")
        .satisfies(e -> assertThat(OperatorException.unwrap(e)).isSameAs(cause));
  }

  @Test
  void aFunctionOfTheWrongKindIsRefusedNamingTheOperator() {
    assertThatThrownBy(
            () ->
                chain(
                    op("odd", OperatorKind.FILTER, (MapFunction<Object, Object>) x -> x),
                    op("collect", OperatorKind.SINK, sink())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("operator 'odd' (FILTER) needs a FilterFunction but carries a ");
  }

  @Test
  void theLastOperatorFeedsEveryOutgoingEdge() throws Exception {
    CapturingPartition left = new CapturingPartition(1);
    CapturingPartition right = new CapturingPartition(2);
    List<RecordWriter> outputs =
        List.of(
            new RecordWriter(
                "left",
                left,
                Partitioner.create(Partitioning.FORWARD, 0, 1, 16, null),
                TestRecordSerializer::new),
            new RecordWriter(
                "right",
                right,
                Partitioner.create(Partitioning.BROADCAST, 0, 2, 16, null),
                TestRecordSerializer::new));
    OperatorChain chain =
        OperatorChain.create(
            vertex(op("inc", OperatorKind.MAP, (MapFunction<Integer, Integer>) x -> x + 1)),
            SUBTASK,
            outputs);
    chain.open();

    chain.input().collect(1);

    assertThat(left.emitted).hasSize(1);
    assertThat(right.emitted).hasSize(2);
  }

  @Test
  void aSourceHeadEmitsIntoTheChainWhenPolled() throws Exception {
    Source<Object> source =
        new Source<>() {
          @Override
          public SourceReader<Object> createReader(TaskInfo taskInfo) {
            return new SourceReader<>() {
              private int next;

              @Override
              public InputStatus pollNext(Collector<Object> output) {
                output.collect(next++);
                return next < 3 ? InputStatus.MORE_AVAILABLE : InputStatus.END_OF_INPUT;
              }
            };
          }

          @Override
          public boolean isBounded() {
            return true;
          }
        };
    OperatorChain chain =
        chain(
            new OperatorSpec("numbers", "numbers", OperatorKind.SOURCE, source, null),
            op("collect", OperatorKind.SINK, sink()));
    chain.open();
    SourceOperator head = chain.source().orElseThrow();

    List<InputStatus> statuses = new ArrayList<>();
    InputStatus status;
    do {
      status = head.pollNext();
      statuses.add(status);
    } while (status != InputStatus.END_OF_INPUT);

    assertThat(statuses)
        .containsExactly(
            InputStatus.MORE_AVAILABLE, InputStatus.MORE_AVAILABLE, InputStatus.END_OF_INPUT);
    assertThat(written).containsExactly(0, 1, 2);
    assertThat(chain.recordsIn()).isEqualTo(3);
    assertThat(head.isBounded()).isTrue();
  }

  // ---------------------------------------------------------------- helpers

  private OperatorChain chain(OperatorSpec... specs) {
    return OperatorChain.create(vertex(specs), SUBTASK, List.of());
  }

  private static JobVertex vertex(OperatorSpec... specs) {
    return new JobVertex(1, "chain", 1, 16, List.of(specs));
  }

  private static OperatorSpec op(String name, OperatorKind kind, Serializable function) {
    return new OperatorSpec(name, name, kind, function, null);
  }

  private Sink<Object> sink() {
    List<Object> records = written;
    List<String> log = events;
    return taskInfo ->
        new SinkWriter<>() {
          @Override
          public void open() {
            log.add("open sink");
          }

          @Override
          public void write(Object record) {
            records.add(record);
          }

          @Override
          public void finish() {
            log.add("finish sink");
          }

          @Override
          public void close() {
            log.add("close sink");
          }
        };
  }

  /** A pass-through map that logs its open and close; its close may fail. */
  record Lifecycle(String name, List<String> events, String closeFailure)
      implements MapFunction<Object, Object> {
    Lifecycle(String name, List<String> events) {
      this(name, events, null);
    }

    @Override
    public void open(RuntimeContext context) {
      events.add("open " + name);
    }

    @Override
    public Object map(Object value) {
      return value;
    }

    @Override
    public void close() {
      events.add("close " + name);
      if (closeFailure != null) {
        throw new IllegalStateException(closeFailure);
      }
    }
  }

  static final class FailingOpen implements MapFunction<Object, Object> {
    @Override
    public void open(RuntimeContext context) {
      throw new IllegalStateException("cannot open");
    }

    @Override
    public Object map(Object value) {
      return value;
    }
  }

  /** Running sum per key as "key:sum"; at the end "total key=sum" per key. */
  static final class Sum extends KeyedProcessFunction<String, Tuple2<String, Integer>, String> {
    private transient ValueState<Integer> sum;

    @Override
    public void open(RuntimeContext context) {
      sum = context.getState(new ValueStateDescriptor<>("sum", Integer.class));
    }

    @Override
    public void processElement(
        Tuple2<String, Integer> value, Context<String> context, Collector<String> out) {
      int next = (sum.value() == null ? 0 : sum.value()) + value.f1();
      sum.update(next);
      out.collect(context.getCurrentKey() + ":" + next);
    }

    @Override
    public void endOfInput(EndOfInputContext<String> context, Collector<String> out)
        throws Exception {
      context.forEachKey(key -> out.collect("total " + key + "=" + sum.value()));
    }
  }
}
