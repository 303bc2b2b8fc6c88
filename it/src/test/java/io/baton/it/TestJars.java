package io.baton.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds job jars from classes on the test class path, as a job author's build would. */
final class TestJars {
  private TestJars() {}

  /**
   * Writes a jar holding {@code classes} (and their nested classes); its manifest names {@code
   * mainClass} unless that is null.
   */
  static Path jar(Path dir, String fileName, Class<?> mainClass, Class<?>... classes)
      throws IOException {
    Files.createDirectories(dir);
    Path jar = dir.resolve(fileName);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass != null) {
      manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
    }
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (Class<?> c : classes) {
        addClass(out, c);
        for (Class<?> nested : c.getDeclaredClasses()) {
          addClass(out, nested);
        }
      }
    }
    return jar;
  }

  private static void addClass(JarOutputStream out, Class<?> c) throws IOException {
    String resource = c.getName().replace('.', '/') + ".class";
    try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("class file of " + c.getName() + " not found");
      }
      out.putNextEntry(new JarEntry(resource));
      in.transferTo(out);
      out.closeEntry();
    }
  }

  /** The examples jar the build produced. */
  static Path examplesJar() {
    Path jar =
        Path.of("..", "examples", "target", "baton-examples.jar").toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the examples module first");
    }
    return jar;
  }
}
