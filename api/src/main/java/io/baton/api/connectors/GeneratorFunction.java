package io.baton.api.connectors;

import java.io.Serializable;

/**
 * Makes the record with a given index for a {@link GeneratorSource}; must be deterministic so a
 * restored source emits the same records again.
 */
@FunctionalInterface
public interface GeneratorFunction<T> extends Serializable {
  T generate(long index) throws Exception;
}
