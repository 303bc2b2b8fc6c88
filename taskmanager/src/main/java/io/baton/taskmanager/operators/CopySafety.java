package io.baton.taskmanager.operators;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells whether a record may be handed to a consumer in the same TaskManager as it is, without a
 * copy, and about how much heap it holds. Copy-safe means nothing reachable from the record can
 * change after the producer emitted it, so the consumer sees exactly what serializing it then would
 * have carried: null, boxed primitives, {@code String}, enums (their constants are the same objects
 * after a round trip), and Java records whose components' declared types are all primitive or
 * copy-safe, recursively. Any other class (a POJO or tuple with settable fields, an array, a
 * collection, a component declared as {@code Object} or an interface) is not: a producer that
 * reuses the object after {@code collect} would change it under the consumer.
 *
 * <p>The size estimate (object headers, fields, references, a String's characters) lets a batch of
 * objects hold about as much as a network buffer does, so credits bound memory as they do for
 * bytes. A class whose values all have one size is sized once; otherwise only the parts that vary
 * (Strings, and records holding them) are read per record, through their accessors.
 *
 * <p>Each class is decided once and remembered; the class of the previous record is checked first,
 * since a stream mostly carries one type. Used only by the producing task's thread.
 */
final class CopySafety {
  /** What {@link #footprint} says of a record that is not copy-safe. */
  static final int NOT_COPY_SAFE = -1;

  private static final int HEADER_BYTES = 16;
  private static final int REFERENCE_BYTES = 8;
  // the String, its array's header; one byte per character (Latin-1, the common case)
  private static final int STRING_BYTES = 40;

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

  private static final Sizer NOT_SAFE = value -> NOT_COPY_SAFE;
  private static final Sizer STRING = value -> STRING_BYTES + ((String) value).length();

  private final Map<Class<?>, Sizer> sizers = new HashMap<>();
  private Class<?> lastType;
  private Sizer lastSizer;

  boolean isCopySafe(Object record) {
    return footprint(record) != NOT_COPY_SAFE;
  }

  /**
   * The record's estimated heap bytes (itself and what only it references), or {@link
   * #NOT_COPY_SAFE}.
   *
   * @throws IllegalStateException when a record's accessor fails
   */
  int footprint(Object record) {
    if (record == null) {
      return REFERENCE_BYTES;
    }
    Class<?> type = record.getClass();
    if (type != lastType) {
      lastSizer = sizerOf(type);
      lastType = type;
    }
    return lastSizer.bytesOf(record);
  }

  private Sizer sizerOf(Class<?> type) {
    Sizer sizer = sizers.get(type);
    if (sizer == null) {
      sizer = decide(type, new HashSet<>());
      sizers.put(type, sizer);
    }
    return sizer;
  }

  /**
   * The sizer of a non-primitive type, {@link #NOT_SAFE} when it is not copy-safe.
   *
   * @param visiting the record classes being decided further up, so a record that reaches itself
   *     through its components is decided by its other components
   */
  private Sizer decide(Class<?> type, Set<Class<?>> visiting) {
    Sizer known = sizers.get(type);
    if (known != null) {
      return known;
    }
    if (type == String.class) {
      return STRING;
    }
    if (IMMUTABLE_VALUES.contains(type)) {
      return new Fixed(type == Long.class || type == Double.class ? 24 : HEADER_BYTES);
    }
    if (isEnum(type)) {
      return new Fixed(0); // a shared constant: only the reference to it counts
    }
    // a record's only fields are its components, and every type decided copy-safe is final or an
    // enum, so a component's declared type decides what it can hold at run time
    if (!type.isRecord()) {
      return NOT_SAFE;
    }
    if (!visiting.add(type)) {
      // reached again through its own components: its values are sized once it is decided
      return value -> sizerOf(value.getClass()).bytesOf(value);
    }
    try {
      return decideRecord(type, visiting);
    } finally {
      visiting.remove(type);
    }
  }

  private Sizer decideRecord(Class<?> type, Set<Class<?>> visiting) {
    int fixed = HEADER_BYTES;
    List<MethodHandle> accessors = new ArrayList<>();
    List<Sizer> parts = new ArrayList<>();
    for (RecordComponent component : type.getRecordComponents()) {
      Class<?> componentType = component.getType();
      if (componentType.isPrimitive()) {
        fixed += widthOf(componentType);
        continue;
      }
      fixed += REFERENCE_BYTES;
      Sizer part = decide(componentType, visiting);
      if (part == NOT_SAFE) {
        return NOT_SAFE;
      }
      if (part instanceof Fixed size) {
        fixed += size.bytes;
        continue;
      }
      MethodHandle accessor = accessorOf(component);
      if (accessor == null) {
        return NOT_SAFE; // cannot be sized, so it keeps the byte path
      }
      accessors.add(accessor);
      parts.add(part);
    }
    return parts.isEmpty()
        ? new Fixed(fixed)
        : new Varying(fixed, accessors.toArray(MethodHandle[]::new), parts.toArray(Sizer[]::new));
  }

  private static MethodHandle accessorOf(RecordComponent component) {
    try {
      Method method = component.getAccessor();
      method.setAccessible(true);
      return MethodHandles.lookup()
          .unreflect(method)
          .asType(MethodType.methodType(Object.class, Object.class));
    } catch (RuntimeException | IllegalAccessException e) {
      return null;
    }
  }

  private static int widthOf(Class<?> primitive) {
    if (primitive == long.class || primitive == double.class) {
      return 8;
    }
    if (primitive == int.class || primitive == float.class) {
      return 4;
    }
    return primitive == char.class || primitive == short.class ? 2 : 1;
  }

  /** An enum, or the class of an enum constant with a body of its own. */
  private static boolean isEnum(Class<?> type) {
    return type.isEnum() || (type.getSuperclass() != null && type.getSuperclass().isEnum());
  }

  /** Estimates the heap bytes of a value of one copy-safe class. */
  @FunctionalInterface
  private interface Sizer {
    int bytesOf(Object value);
  }

  /** Values of one size. */
  private record Fixed(int bytes) implements Sizer {
    @Override
    public int bytesOf(Object value) {
      return bytes;
    }
  }

  /** A record with parts of varying size (Strings, records holding them), read per record. */
  private record Varying(int fixed, MethodHandle[] accessors, Sizer[] parts) implements Sizer {
    @Override
    public int bytesOf(Object record) {
      long bytes = fixed;
      for (int i = 0; i < accessors.length; i++) {
        Object part;
        try {
          part = (Object) accessors[i].invokeExact(record);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Throwable e) {
          throw new IllegalStateException(
              "reading a component of " + record.getClass().getName() + " failed: " + e, e);
        }
        if (part != null) {
          bytes += parts[i].bytesOf(part);
        }
      }
      return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
  }
}
