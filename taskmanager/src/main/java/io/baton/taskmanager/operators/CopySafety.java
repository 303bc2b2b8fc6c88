package io.baton.taskmanager.operators;

import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Tells whether a record may be handed to a consumer in the same TaskManager as it is, without a
 * copy: whether nothing reachable from it can change after the producer emitted it, so the consumer
 * sees exactly what serializing it then would have carried. Copy-safe are null, boxed primitives,
 * {@code String}, enums (their constants are the same objects after a round trip), and Java records
 * whose components' declared types are all primitive or copy-safe, recursively. Any other class (a
 * POJO or tuple with settable fields, an array, a collection, a component declared as {@code
 * Object} or an interface) is not: a producer that reuses the object after {@code collect} would
 * change it under the consumer.
 *
 * <p>Each class is decided once and remembered; the class of the previous record is checked first,
 * since a stream mostly carries one type. Used only by the producing task's thread.
 */
final class CopySafety {
  private static final Set<Class<?>> IMMUTABLE_VALUES =
      Set.of(
          Boolean.class,
          Byte.class,
          Short.class,
          Character.class,
          Integer.class,
          Long.class,
          Float.class,
          Double.class,
          String.class);

  private final Map<Class<?>, Boolean> decided = new HashMap<>();
  private Class<?> lastType;
  private boolean lastSafe;

  boolean isCopySafe(Object record) {
    if (record == null) {
      return true;
    }
    Class<?> type = record.getClass();
    if (type != lastType) {
      lastSafe = decided.computeIfAbsent(type, t -> decide(t, new HashSet<>()));
      lastType = type;
    }
    return lastSafe;
  }

  /**
   * @param visiting the record classes being decided further up, so a record that reaches itself
   *     through its components is decided by its other components
   */
  private static boolean decide(Class<?> type, Set<Class<?>> visiting) {
    if (type.isPrimitive() || IMMUTABLE_VALUES.contains(type) || isEnum(type)) {
      return true;
    }
    // a record's only fields are its components, and every type decided copy-safe is final or an
    // enum, so a component's declared type decides what it can hold at run time
    if (!type.isRecord()) {
      return false;
    }
    if (!visiting.add(type)) {
      return true;
    }
    for (RecordComponent component : type.getRecordComponents()) {
      if (!decide(component.getType(), visiting)) {
        return false;
      }
    }
    return true;
  }

  /** An enum, or the class of an enum constant with a body of its own. */
  private static boolean isEnum(Class<?> type) {
    return type.isEnum() || (type.getSuperclass() != null && type.getSuperclass().isEnum());
  }
}
