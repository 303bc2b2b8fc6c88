package io.baton.api.graph;

import io.baton.api.functions.KeySelector;
import java.io.Serializable;
import java.util.Objects;

/**
 * A connection between two vertices.
 *
 * @param index position in {@link JobGraph#edges()}; names the result partition on the wire
 * @param sourceVertexId the producing vertex
 * @param targetVertexId the consuming vertex
 * @param partitioning how records are distributed over the consumer's subtasks
 * @param keySelector for {@link Partitioning#HASH}: the key of each record; else null
 */
public record JobEdge(
    int index,
    int sourceVertexId,
    int targetVertexId,
    Partitioning partitioning,
    KeySelector<?, ?> keySelector)
    implements Serializable {

  public JobEdge {
    Objects.requireNonNull(partitioning, "partitioning");
    if (partitioning == Partitioning.HASH && keySelector == null) {
      throw new IllegalArgumentException("a HASH edge needs a key selector");
    }
  }
}
