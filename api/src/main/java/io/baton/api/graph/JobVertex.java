package io.baton.api.graph;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A unit of scheduling: a chain of operators that run in one thread per parallel instance
 * (subtask), passing records from one to the next by method call.
 *
 * @param id unique within the job graph
 * @param name shown in logs and the REST API (the chained operators' names joined by " -> ")
 * @param parallelism number of subtasks, at least 1
 * @param maxParallelism number of key groups; the upper bound for rescaling
 * @param chain the operators, head first
 */
public record JobVertex(
    int id, String name, int parallelism, int maxParallelism, List<OperatorSpec> chain)
    implements Serializable {

  public JobVertex {
    Objects.requireNonNull(name, "name");
    chain = List.copyOf(chain);
  }

  /** The first operator of the chain: the one that receives the vertex's input. */
  public OperatorSpec head() {
    return chain.get(0);
  }

  public boolean isSource() {
    return !chain.isEmpty() && head().kind() == OperatorKind.SOURCE;
  }
}
