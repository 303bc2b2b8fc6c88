package io.baton.common.serialization;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How to take an object of one class apart into field values and put it back together: for a Java
 * record, its components and canonical constructor; for a POJO, its public no-arg constructor and
 * its non-static, non-transient fields. Found once per class by reflection.
 *
 * <p>Fields are read one at a time, and {@code int} and {@code long} fields without boxing ({@link
 * #kind}), because this runs once per record on the record path: an array of boxed values per
 * record was a sixth of everything a TaskManager allocated in the Ledger benchmark.
 */
abstract sealed class FieldLayout {

  /** How a field is read: the primitives that are read without boxing, and everything else. */
  enum FieldKind {
    INT,
    LONG,
    OTHER
  }

  /** For {@link FieldKind#OTHER} fields: the value, boxed if primitive. */
  abstract Object value(Object object, int field) throws ReflectiveOperationException;

  /** For {@link FieldKind#INT} fields. */
  abstract int intValue(Object object, int field) throws ReflectiveOperationException;

  /** For {@link FieldKind#LONG} fields. */
  abstract long longValue(Object object, int field) throws ReflectiveOperationException;

  abstract FieldKind kind(int field);

  abstract Object create(Object[] values) throws ReflectiveOperationException;

  abstract int fieldCount();

  static FieldLayout ofRecord(Class<?> type) {
    return new RecordLayout(type);
  }

  /** The POJO layout of a class, or empty when it is not a POJO (then Kryo handles it). */
  static Optional<FieldLayout> ofPojo(Class<?> type) {
    if (type.isInterface()
        || type.isArray()
        || type.isEnum()
        || type.isRecord()
        || type.isPrimitive()
        || Modifier.isAbstract(type.getModifiers())
        || isPlatformClass(type)) {
      return Optional.empty();
    }
    try {
      Constructor<?> constructor = type.getConstructor();
      constructor.setAccessible(true);
      List<Field> fields = new ArrayList<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        if (isPlatformClass(c)) {
          return Optional.empty(); // state inside a JDK superclass we cannot see reliably
        }
        List<Field> declared = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
          int m = f.getModifiers();
          if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
            f.setAccessible(true);
            declared.add(f);
          }
        }
        declared.sort(Comparator.comparing(Field::getName));
        fields.addAll(0, declared);
      }
      return Optional.of(new PojoLayout(constructor, fields.toArray(Field[]::new)));
    } catch (NoSuchMethodException | RuntimeException notAPojo) {
      // no public no-arg constructor, or fields the module system keeps closed
      return Optional.empty();
    }
  }

  private static boolean isPlatformClass(Class<?> type) {
    String name = type.getName();
    return name.startsWith("java.")
        || name.startsWith("javax.")
        || name.startsWith("jdk.")
        || name.startsWith("sun.")
        || name.startsWith("com.sun.");
  }

  /** A record's canonical constructor, made accessible. */
  static Constructor<?> canonicalConstructor(Class<?> type, RecordComponent[] components) {
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    try {
      Constructor<?> canonical = type.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "record " + type.getName() + " has no canonical constructor", e);
    }
  }

  private static FieldKind kindOf(Class<?> type) {
    return type == int.class
        ? FieldKind.INT
        : type == long.class ? FieldKind.LONG : FieldKind.OTHER;
  }

  private static final class RecordLayout extends FieldLayout {
    private static final MethodType AS_OBJECT = MethodType.methodType(Object.class, Object.class);
    private static final MethodType AS_INT = MethodType.methodType(int.class, Object.class);
    private static final MethodType AS_LONG = MethodType.methodType(long.class, Object.class);

    // each typed (Object)int, (Object)long or (Object)Object by its kind, so invokeExact needs no
    // boxing and no argument array, unlike Method.invoke
    private final MethodHandle[] accessors;
    private final FieldKind[] kinds;
    private final Constructor<?> canonical;

    RecordLayout(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      accessors = new MethodHandle[components.length];
      kinds = new FieldKind[components.length];
      for (int i = 0; i < components.length; i++) {
        Method accessor = components[i].getAccessor();
        accessor.setAccessible(true);
        kinds[i] = kindOf(components[i].getType());
        MethodType as =
            switch (kinds[i]) {
              case INT -> AS_INT;
              case LONG -> AS_LONG;
              case OTHER -> AS_OBJECT;
            };
        try {
          accessors[i] = MethodHandles.lookup().unreflect(accessor).asType(as);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(
              "the accessor " + accessor.getName() + " of record " + type.getName() + " is closed",
              e);
        }
      }
      canonical = canonicalConstructor(type, components);
    }

    @Override
    Object value(Object object, int field) throws ReflectiveOperationException {
      try {
        return (Object) accessors[field].invokeExact(object);
      } catch (Throwable t) {
        throw thrownByAccessor(t);
      }
    }

    @Override
    int intValue(Object object, int field) throws ReflectiveOperationException {
      try {
        return (int) accessors[field].invokeExact(object);
      } catch (Throwable t) {
        throw thrownByAccessor(t);
      }
    }

    @Override
    long longValue(Object object, int field) throws ReflectiveOperationException {
      try {
        return (long) accessors[field].invokeExact(object);
      } catch (Throwable t) {
        throw thrownByAccessor(t);
      }
    }

    /** What an accessor threw, wrapped as Method.invoke wraps it (errors of the VM pass). */
    private static ReflectiveOperationException thrownByAccessor(Throwable t) {
      if (t instanceof VirtualMachineError e) {
        throw e;
      }
      return new InvocationTargetException(t);
    }

    @Override
    FieldKind kind(int field) {
      return kinds[field];
    }

    @Override
    Object create(Object[] values) throws ReflectiveOperationException {
      return canonical.newInstance(values);
    }

    @Override
    int fieldCount() {
      return accessors.length;
    }
  }

  private static final class PojoLayout extends FieldLayout {
    private final Constructor<?> constructor;
    private final Field[] fields;
    private final FieldKind[] kinds;

    PojoLayout(Constructor<?> constructor, Field[] fields) {
      this.constructor = constructor;
      this.fields = fields;
      this.kinds = new FieldKind[fields.length];
      for (int i = 0; i < fields.length; i++) {
        kinds[i] = kindOf(fields[i].getType());
      }
    }

    @Override
    Object value(Object object, int field) throws ReflectiveOperationException {
      return fields[field].get(object);
    }

    @Override
    int intValue(Object object, int field) throws ReflectiveOperationException {
      return fields[field].getInt(object);
    }

    @Override
    long longValue(Object object, int field) throws ReflectiveOperationException {
      return fields[field].getLong(object);
    }

    @Override
    FieldKind kind(int field) {
      return kinds[field];
    }

    @Override
    Object create(Object[] values) throws ReflectiveOperationException {
      Object object = constructor.newInstance();
      for (int i = 0; i < fields.length; i++) {
        fields[i].set(object, values[i]);
      }
      return object;
    }

    @Override
    int fieldCount() {
      return fields.length;
    }
  }
}
