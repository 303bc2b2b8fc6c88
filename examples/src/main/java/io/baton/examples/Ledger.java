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
import java.util.Optional;
import java.util.Set;

/**
 * The exactly-once drill job: N bookings on K accounts, each account's running balance kept in
 * keyed state, every booking written with the balance after it as {@code
 * <event>\t<account>\t<balance>}. Event {@code i} books amount {@code i} on account {@code i % K},
 * and all of an account's events come from one source subtask in order, so the balance after each
 * event is known in advance: the output after any number of failures can be checked line by line
 * (see {@link LedgerVerifier}). With {@code --failures F --seed S} the running balance fails on
 * purpose F times, once in each of the first F attempts (see {@link FailurePlan}).
 */
final class Ledger {
  static final String USAGE =
      "usage: ledger --events N --keys K --rate R --output DIR [--checkpoint-interval MS]"
          + " [--failures F [--seed S]]  |  ledger --verify DIR --events N --keys K";

  /** The most deliberate failures a run may ask for. */
  static final int MAX_FAILURES = 1000;

  private Ledger() {}

  /** Defines the job on {@code env} from the command line's options and runs it. */
  static void run(String[] args, StreamEnvironment env) throws Exception {
    Arguments arguments =
        Arguments.parse(
            args,
            Set.of("events", "keys", "rate", "output", "checkpoint-interval", "failures", "seed"));
    long events = arguments.number("events", -1, Long.MAX_VALUE);
    int keys = (int) arguments.number("keys", 1, Integer.MAX_VALUE);
    long rate = arguments.number("rate", 0, Long.MAX_VALUE);
    String output = arguments.string("output");
    long checkpointInterval = arguments.number("checkpoint-interval", 1, Long.MAX_VALUE, 0);
    FailurePlan failures = failurePlan(arguments, events, keys);
    if (checkpointInterval > 0) {
      env.enableCheckpointing(Duration.ofMillis(checkpointInterval));
    }
    define(env, events, keys, rate, output, failures);
    env.execute("ledger");
  }

  private static FailurePlan failurePlan(Arguments arguments, long events, int keys)
      throws UsageException {
    int failures = (int) arguments.number("failures", 0, MAX_FAILURES, 0);
    if (failures == 0) {
      if (arguments.has("seed")) {
        throw new UsageException("option '--seed' needs '--failures'");
      }
      return FailurePlan.none();
    }
    if (events < 0) {
      throw new UsageException("option '--failures' needs a bounded number of '--events'");
    }
    if (failures > events) {
      throw new UsageException(
          "option '--failures' must be at most the " + events + " events, not " + failures);
    }
    long seed = arguments.number("seed", Long.MIN_VALUE, Long.MAX_VALUE, 0);
    return FailurePlan.of(failures, seed, events, keys);
  }

  /**
   * @param events number of events, or -1 for no end
   * @param keys number of accounts
   * @param rate events per second over all source subtasks; 0 for as fast as possible
   * @param failures where the running balance fails on purpose
   */
  static void define(
      StreamEnvironment env,
      long events,
      int keys,
      long rate,
      String output,
      FailurePlan failures) {
    env.fromSource(
            new GeneratorSource<>(new Bookings(keys), events, rate, new ByAccount(keys)), "events")
        .uid("events")
        .keyBy(LedgerEvent::key)
        .process(new RunningBalance(failures))
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

  /**
   * Keeps each account's balance and writes every event with the balance after it; fails where the
   * {@link FailurePlan} says.
   */
  static final class RunningBalance extends KeyedProcessFunction<Integer, LedgerEvent, String> {
    private final FailurePlan failures;
    private transient ValueState<Long> balance;
    private transient int attempt;

    RunningBalance(FailurePlan failures) {
      this.failures = failures;
    }

    @Override
    public void open(RuntimeContext context) {
      balance = context.getState(new ValueStateDescriptor<>("balance", Long.class));
      attempt = context.attemptNumber();
    }

    @Override
    public void processElement(LedgerEvent event, Context<Integer> context, Collector<String> out) {
      Optional<FailurePlan.DeliberateFailure> failure = failures.failureAt(event, attempt);
      if (failure.isPresent()) {
        throw failure.get();
      }
      Long before = balance.value();
      long after = (before == null ? 0 : before) + event.amount();
      balance.update(after);
      out.collect(event.index() + "\t" + event.key() + "\t" + after);
    }
  }
}
