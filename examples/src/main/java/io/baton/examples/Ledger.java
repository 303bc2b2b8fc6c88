package io.baton.examples;

import io.baton.api.StreamEnvironment;
import io.baton.api.connectors.FileSink;
import io.baton.api.connectors.GeneratorFunction;
import io.baton.api.connectors.GeneratorSource;
import io.baton.api.connectors.SubtaskAssigner;
import io.baton.api.functions.Collector;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.api.functions.RuntimeContext;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import java.time.Duration;
import java.util.Set;

/**
 * The exactly-once drill job: N bookings on K accounts, each account's running balance kept in
 * keyed state, every booking written with the balance after it as {@code
 * <event>\t<account>\t<balance>}. Event {@code i} books amount {@code i} on account {@code i % K},
 * and all of an account's events come from one source subtask in order, so the balance after each
 * event is known in advance: the output after any number of failures can be checked line by line
 * (see {@link LedgerVerifier}).
 */
final class Ledger {
  static final String USAGE =
      "usage: ledger --events N --keys K --rate R --output DIR [--checkpoint-interval MS]"
          + "  |  ledger --verify DIR --events N --keys K";

  private Ledger() {}

  /** Defines the job on {@code env} from the command line's options and runs it. */
  static void run(String[] args, StreamEnvironment env) throws Exception {
    Arguments arguments =
        Arguments.parse(args, Set.of("events", "keys", "rate", "output", "checkpoint-interval"));
    long events = arguments.number("events", -1, Long.MAX_VALUE);
    int keys = (int) arguments.number("keys", 1, Integer.MAX_VALUE);
    long rate = arguments.number("rate", 0, Long.MAX_VALUE);
    String output = arguments.string("output");
    long checkpointInterval = arguments.number("checkpoint-interval", 1, Long.MAX_VALUE, 0);
    if (checkpointInterval > 0) {
      env.enableCheckpointing(Duration.ofMillis(checkpointInterval));
    }
    define(env, events, keys, rate, output);
    env.execute("ledger");
  }

  /**
   * @param events number of events, or -1 for no end
   * @param keys number of accounts
   * @param rate events per second over all source subtasks; 0 for as fast as possible
   */
  static void define(StreamEnvironment env, long events, int keys, long rate, String output) {
    env.fromSource(
            new GeneratorSource<>(new Bookings(keys), events, rate, new ByAccount(keys)), "events")
        .uid("events")
        .keyBy(LedgerEvent::key)
        .process(new RunningBalance())
        .name("running-balance")
        .uid("running-balance")
        .sinkTo(new FileSink<>(output))
        .name("ledger-files")
        .uid("ledger-files");
  }

  /** Makes event i. */
  static final class Bookings implements GeneratorFunction<LedgerEvent> {
    private final int keys;

    Bookings(int keys) {
      this.keys = keys;
    }

    @Override
    public LedgerEvent generate(long index) {
      return LedgerEvent.of(index, keys);
    }
  }

  /** Sends all events of an account to one source subtask, so they stay in order. */
  static final class ByAccount implements SubtaskAssigner {
    private final int keys;

    ByAccount(int keys) {
      this.keys = keys;
    }

    @Override
    public int subtaskFor(long index, int parallelism) {
      return (int) ((index % keys) % parallelism);
    }
  }

  /** Keeps each account's balance and writes every event with the balance after it. */
  static final class RunningBalance extends KeyedProcessFunction<Integer, LedgerEvent, String> {
    private transient ValueState<Long> balance;

    @Override
    public void open(RuntimeContext context) {
      balance = context.getState(new ValueStateDescriptor<>("balance", Long.class));
    }

    @Override
    public void processElement(LedgerEvent event, Context<Integer> context, Collector<String> out) {
      Long before = balance.value();
      long after = (before == null ? 0 : before) + event.amount();
      balance.update(after);
      out.collect(event.index() + "\t" + event.key() + "\t" + after);
    }
  }
}
