package io.baton.common.classloading;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * Reads Java-serialized objects whose classes come from the job's class loader (a job graph, a
 * task's vertex), falling back to the caller's for JDK classes and primitives.
 */
public final class UserCodeObjectInputStream extends ObjectInputStream {
  private final ClassLoader classLoader;

  public UserCodeObjectInputStream(InputStream in, ClassLoader classLoader) throws IOException {
    super(in);
    this.classLoader = classLoader;
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
