package io.baton.api.graph;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the JobManager deploys to every subtask of a vertex, Java-serialized into {@code
 * SubmitTaskRequest.serialized_vertex}: the vertex and its outgoing edges. The edges travel along
 * because a producing task needs their partitioning and, for {@link Partitioning#HASH}, their key
 * selector, which the vertex alone does not carry.
 *
 * @param vertex the operator chain to run
 * @param outputs the vertex's outgoing edges; a task's output with {@code edge_index} i writes
 *     along the edge whose {@link JobEdge#index()} is i
 */
public record TaskVertex(JobVertex vertex, List<JobEdge> outputs) implements Serializable {

  public TaskVertex {
    Objects.requireNonNull(vertex, "vertex");
    outputs = List.copyOf(outputs);
  }

  /** The vertex with id {@code vertexId} of {@code graph} and its outgoing edges. */
  public static TaskVertex of(JobGraph graph, int vertexId) {
    JobVertex vertex =
        graph
            .vertex(vertexId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "job '" + graph.name() + "' has no vertex with id " + vertexId));
    return new TaskVertex(vertex, graph.outputsOf(vertexId));
  }

  /** The outgoing edge with the given index. */
  public Optional<JobEdge> output(int edgeIndex) {
    return outputs.stream().filter(e -> e.index() == edgeIndex).findFirst();
  }
}
