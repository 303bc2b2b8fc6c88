package io.baton.common.classloading;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads a job's classes from its jar, child-first, so a job may bring its own versions of
 * libraries. Baton's api, the JDK and logging always come from the parent, so that the objects the
 * runtime and the job pass each other are of one class. Closing it releases the jar.
 */
public final class UserCodeClassLoader extends URLClassLoader {
  private static final String[] PARENT_FIRST = {
    "java.", "javax.", "jdk.", "sun.", "io.baton.api.", "org.slf4j.", "org.apache.logging.log4j."
  };

  static {
    ClassLoader.registerAsParallelCapable();
  }

  public UserCodeClassLoader(URL[] jars, ClassLoader parent) {
    super(jars, parent);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        if (isParentFirst(name)) {
          c = getParent().loadClass(name);
        } else {
          try {
            c = findClass(name);
          } catch (ClassNotFoundException notInJar) {
            c = getParent().loadClass(name);
          }
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  @Override
  public URL getResource(String name) {
    URL url = findResource(name);
    return url != null ? url : getParent().getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
    urls.addAll(Collections.list(getParent().getResources(name)));
    return Collections.enumeration(urls);
  }

  private static boolean isParentFirst(String className) {
    for (String prefix : PARENT_FIRST) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
