package io.baton.api.graph;

import io.baton.api.functions.KeySelector;
import java.io.Serializable;
import java.util.Objects;

/**
 * One operator inside a {@link JobVertex}'s chain.
 *
 * @param uid stable id of the operator across job versions; names its state in checkpoints
 * @param name shown in logs and the REST API
 * @param kind what the operator does; decides the type of {@code function}
 * @param function the user's function, source or sink (see {@link OperatorKind})
 * @param keySelector for {@link OperatorKind#KEYED_PROCESS}: the key of each input record; else
 *     null
 */
public record OperatorSpec(
    String uid,
    String name,
    OperatorKind kind,
    Serializable function,
    KeySelector<?, ?> keySelector)
    implements Serializable {

  public OperatorSpec {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(function, "function");
    if (kind == OperatorKind.KEYED_PROCESS && keySelector == null) {
      throw new IllegalArgumentException("keyed operator '" + name + "' needs a key selector");
    }
  }
}
