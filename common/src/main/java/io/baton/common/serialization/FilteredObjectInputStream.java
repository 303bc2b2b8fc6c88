package io.baton.common.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * The one way Baton reads Java-serialized data: classes resolve through the job's class loader
 * first (the JDK's otherwise), and every class, depth and size passes {@link AdmittedClasses}
 * before anything is instantiated. A refusal is a {@link RefusedClassException} whose message is
 * one line naming the source and the class.
 */
public final class FilteredObjectInputStream extends ObjectInputStream {
  private final ClassLoader classLoader;
  private final AdmittedClasses filter;
  private final String source;

  /**
   * @param classLoader the job's class loader
   * @param source what is read, for messages: e.g. {@code the stored job graph of job <id>}
   */
  public FilteredObjectInputStream(InputStream in, ClassLoader classLoader, String source)
      throws IOException {
    super(in);
    this.classLoader = classLoader;
    this.source = source;
    this.filter = new AdmittedClasses(classLoader);
    setObjectInputFilter(filter);
  }

  /**
   * Reads one object.
   *
   * @throws RefusedClassException when the filter refused a class or a limit
   */
  public Object readFiltered() throws IOException, ClassNotFoundException {
    try {
      return readObject();
    } catch (InvalidClassException e) {
      String refusal = filter.refusal();
      if (refusal == null) {
        throw e;
      }
      throw new RefusedClassException(
          source + ": refused to deserialize " + refusal + ": not admitted by Baton's filter", e);
    }
  }

  @Override
  protected Class<?> resolveClass(ObjectStreamClass desc)
      throws IOException, ClassNotFoundException {
    try {
      return Class.forName(desc.getName(), false, classLoader);
    } catch (ClassNotFoundException e) {
      // primitives and JDK classes the loader may not know
      return super.resolveClass(desc);
    }
  }
}
