package io.baton.common.serialization;

import static java.lang.invoke.MethodType.methodType;

import java.io.DataInput;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Optional;

/**
 * Reads one record class's components off a stream and creates the record through its canonical
 * constructor, in one method handle per class: each component is read by the typed {@link
 * ComponentReads} call of its kind ({@code int} and {@code long} without boxing) and handed
 * straight to the constructor, so no array and no boxed primitive is made per record, unlike a
 * reflective {@code Constructor.newInstance}. This runs once per record read on the record path.
 *
 * <p>Components are read in their declared order: each step of the handle is a {@link
 * MethodHandles#foldArguments fold}, which runs its reader before the rest of the handle.
 */
final class RecordReader {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  private static final MethodHandle READ_INT = componentRead("readInt", int.class);
  private static final MethodHandle READ_LONG = componentRead("readLong", long.class);
  private static final MethodHandle READ_VALUE = componentRead("readValue", Object.class);
  private static final MethodHandle CONSTRUCTOR_FAILED = constructorFailed();

  private final Class<?> type;
  // (DataInput)Object: reads every component, then calls the canonical constructor
  private final MethodHandle read;

  private RecordReader(Class<?> type, MethodHandle read) {
    this.type = type;
    this.read = read;
  }

  /**
   * The typed reader of a record class, or empty when its constructor cannot be made into such a
   * handle (a package closed to reflection, more components than a method handle takes): then the
   * record is read field by field into an array, as any other class.
   */
  static Optional<RecordReader> of(Class<?> type, ComponentReads reads) {
    if (!type.isRecord()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new RecordReader(type, handle(type, reads)));
    } catch (ReflectiveOperationException | RuntimeException cannotBeTyped) {
      return Optional.empty();
    }
  }

  /** Reads the components that follow the class on the stream and creates the record. */
  Object read(DataInput in) throws IOException {
    try {
      return (Object) read.invokeExact(in);
    } catch (ConstructorFailed e) {
      throw new IOException("cannot create a " + type.getName() + " from its fields", e.getCause());
    } catch (IOException | RuntimeException | Error e) {
      throw e; // from reading a component: the stream's own error, as the general path gives it
    } catch (Throwable t) {
      throw new IOException("cannot read a " + type.getName(), t); // no reader throws one
    }
  }

  private static MethodHandle handle(Class<?> type, ComponentReads reads)
      throws ReflectiveOperationException {
    RecordComponent[] components = type.getRecordComponents();
    Constructor<?> canonical = FieldLayout.canonicalConstructor(type, components);
    // int and long as they are; anything else as Object, cast or unboxed inside the constructor's
    // handle, so a value of the wrong type counts as the constructor's failure, as with newInstance
    Class<?>[] taken = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      Class<?> component = components[i].getType();
      taken[i] = component == int.class || component == long.class ? component : Object.class;
    }
    MethodHandle create =
        MethodHandles.catchException(
            LOOKUP.unreflectConstructor(canonical).asType(methodType(Object.class, taken)),
            Throwable.class,
            CONSTRUCTOR_FAILED);
    // (taken..., DataInput)Object; then fold the readers in from the last component to the first
    MethodHandle next = MethodHandles.dropArguments(create, taken.length, DataInput.class);
    for (int i = taken.length - 1; i >= 0; i--) {
      MethodHandle component =
          taken[i] == int.class ? READ_INT : taken[i] == long.class ? READ_LONG : READ_VALUE;
      next = MethodHandles.foldArguments(next, i, component.bindTo(reads));
    }
    return next;
  }

  private static MethodHandle componentRead(String name, Class<?> returned) {
    try {
      return LOOKUP.findVirtual(ComponentReads.class, name, methodType(returned, DataInput.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static MethodHandle constructorFailed() {
    try {
      return LOOKUP.findStatic(
          RecordReader.class, "constructorFailed", methodType(Object.class, Throwable.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What the constructor (or a cast or unboxing of its arguments) threw; errors of the VM pass. */
  private static Object constructorFailed(Throwable t) {
    if (t instanceof VirtualMachineError e) {
      throw e;
    }
    throw new ConstructorFailed(t);
  }

  /** Carries the constructor's failure out of the handle, told apart from a failed read. */
  private static final class ConstructorFailed extends RuntimeException {
    ConstructorFailed(Throwable cause) {
      super(null, cause, false, false);
    }
  }
}
