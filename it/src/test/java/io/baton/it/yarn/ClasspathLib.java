package io.baton.it.yarn;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A distribution's {@code lib/} made from this test JVM's class path: its jars (linked, not copied,
 * where the file system allows) and its class directories packed as jars. The mini clusters' own
 * jar stays out: a container runs on the Hadoop client jars, as on a real cluster. So do the
 * libraries only tests use (a fifth of the bytes every deployment uploads to HDFS and each
 * NodeManager copies back out), as a real distribution has none of them.
 */
public final class ClasspathLib {
  /** Jar name prefixes of test-only libraries: no class of Baton's main code uses them. */
  private static final List<String> TEST_ONLY =
      List.of(
          "hadoop-client-minicluster",
          "selenium-",
          "archunit",
          "bcprov-",
          "bcpkix-",
          "bcutil-",
          "curator-test",
          "junit-",
          "assertj-",
          "awaitility",
          "opentest4j",
          "apiguardian");

  private ClasspathLib() {}

  public static Path create(Path lib) throws IOException {
    Files.createDirectories(lib);
    List<String> entries = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    int n = 0;
    for (String entry : entries) {
      Path source = Path.of(entry);
      String name = source.getFileName().toString();
      if (TEST_ONLY.stream().anyMatch(name::startsWith) || !Files.exists(source)) {
        continue;
      }
      n++;
      if (Files.isDirectory(source)) {
        pack(source, lib.resolve(n + "-classes.jar"));
      } else if (name.endsWith(".jar")) {
        Path target = lib.resolve(n + "-" + name);
        try {
          Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException otherFileSystem) {
          Files.copy(source, target);
        }
      }
    }
    return lib;
  }

  private static void pack(Path classes, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(
            new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }
}
