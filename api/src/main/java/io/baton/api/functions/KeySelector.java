package io.baton.api.functions;

/**
 * Extracts the key of a record. Keys decide the partition a record goes to and the keyed state it
 * sees, so a key's {@code hashCode} and {@code equals} must be deterministic across JVMs (Strings,
 * boxed primitives, records and tuples of those are).
 */
@FunctionalInterface
public interface KeySelector<T, K> extends UserFunction {
  K getKey(T value) throws Exception;
}
