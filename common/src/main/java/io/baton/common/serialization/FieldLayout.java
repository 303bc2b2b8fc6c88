package io.baton.common.serialization;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
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
 */
abstract sealed class FieldLayout {

  abstract Object[] values(Object object) throws ReflectiveOperationException;

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

  private static final class RecordLayout extends FieldLayout {
    private final Method[] accessors;
    private final Constructor<?> canonical;

    RecordLayout(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      accessors = new Method[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        accessors[i] = components[i].getAccessor();
        accessors[i].setAccessible(true);
        types[i] = components[i].getType();
      }
      try {
        canonical = type.getDeclaredConstructor(types);
        canonical.setAccessible(true);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(
            "record " + type.getName() + " has no canonical constructor", e);
      }
    }

    @Override
    Object[] values(Object object) throws ReflectiveOperationException {
      Object[] values = new Object[accessors.length];
      for (int i = 0; i < accessors.length; i++) {
        values[i] = accessors[i].invoke(object);
      }
      return values;
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

    PojoLayout(Constructor<?> constructor, Field[] fields) {
      this.constructor = constructor;
      this.fields = fields;
    }

    @Override
    Object[] values(Object object) throws ReflectiveOperationException {
      Object[] values = new Object[fields.length];
      for (int i = 0; i < fields.length; i++) {
        values[i] = fields[i].get(object);
      }
      return values;
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
