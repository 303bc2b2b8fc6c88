package io.baton.api.connectors;

import java.io.Serializable;

/** Decides which parallel instance of a {@link GeneratorSource} emits the record of an index. */
@FunctionalInterface
public interface SubtaskAssigner extends Serializable {

  /** The subtask (0 .. parallelism-1) that emits index {@code index}. */
  int subtaskFor(long index, int parallelism);

  /** Index {@code i} goes to subtask {@code i % parallelism}. */
  static SubtaskAssigner roundRobin() {
    return RoundRobin.INSTANCE;
  }

  /** The default assigner; the reader steps by the parallelism instead of asking per index. */
  enum RoundRobin implements SubtaskAssigner {
    INSTANCE;

    @Override
    public int subtaskFor(long index, int parallelism) {
      return (int) (index % parallelism);
    }
  }
}
