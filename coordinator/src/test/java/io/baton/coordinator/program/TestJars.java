package io.baton.coordinator.program;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes job jars holding the compiled {@link TestJobs} classes. */
public final class TestJars {
  private TestJars() {}

  /** The binary name of a test job's main class, as a manifest or -c names it. */
  public static String mainClass(Class<?> job) {
    return job.getName();
  }

  /**
   * A jar with every {@link TestJobs} class.
   *
   * @param mainClass the manifest's Main-Class, or null for a manifest without one
   */
  public static Path jobJar(Path jar, Class<?> mainClass) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass != null) {
      manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
    }
    List<Class<?>> classes = new ArrayList<>(List.of(TestJobs.class));
    classes.addAll(List.of(TestJobs.class.getDeclaredClasses()));
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (Class<?> c : classes) {
        String entry = c.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(entry));
        try (InputStream in = TestJars.class.getClassLoader().getResourceAsStream(entry)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }
}
