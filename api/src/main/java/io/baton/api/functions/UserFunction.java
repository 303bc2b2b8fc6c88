package io.baton.api.functions;

import java.io.Serializable;

/**
 * The base of every function a job author writes. Functions travel inside the {@link
 * io.baton.api.graph.JobGraph} in Java-serialized form, so they must be {@link Serializable}; the
 * runtime calls {@link #open} once per parallel instance before the first record and {@link #close}
 * after the last.
 */
public interface UserFunction extends Serializable {

  /** Called once per parallel instance before any record; state handles are obtained here. */
  default void open(RuntimeContext context) throws Exception {}

  /** Called once per parallel instance after the last record, also when the task is cancelled. */
  default void close() throws Exception {}
}
