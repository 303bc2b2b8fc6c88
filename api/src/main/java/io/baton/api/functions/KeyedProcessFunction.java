package io.baton.api.functions;

/**
 * Processes the records of a keyed stream one at a time with access to keyed state: the state
 * handles obtained in {@link #open} always refer to the key of the current record.
 *
 * @param <K> key type
 * @param <I> input type
 * @param <O> output type
 */
public abstract class KeyedProcessFunction<K, I, O> implements UserFunction {

  /** What the runtime tells about the record being processed. */
  public interface Context<K> {
    K getCurrentKey();
  }

  /** Visits every key that has state, with the state handles following the visited key. */
  public interface EndOfInputContext<K> {
    void forEachKey(KeyVisitor<K> visitor) throws Exception;
  }

  /** Called by {@link EndOfInputContext#forEachKey} once per key. */
  @FunctionalInterface
  public interface KeyVisitor<K> {
    void visit(K key) throws Exception;
  }

  public abstract void processElement(I value, Context<K> context, Collector<O> out)
      throws Exception;

  /**
   * Called once when a bounded input has ended, before the sink finishes: the place to emit final
   * results per key (e.g. word counts). Does nothing by default.
   */
  public void endOfInput(EndOfInputContext<K> context, Collector<O> out) throws Exception {}
}
