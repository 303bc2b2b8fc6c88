package io.baton.taskmanager.operators;

/** One operator of a chain, as the chain drives it. */
interface ChainedOperator {

  String name();

  /** Creates readers and writers and opens the user's function. */
  void open() throws Exception;

  /** The chain's input ended: emit final results, make output visible. */
  default void endOfInput() throws Exception {}

  /** Releases what {@link #open} acquired; called also after a failure or cancel. */
  void close() throws Exception;
}
