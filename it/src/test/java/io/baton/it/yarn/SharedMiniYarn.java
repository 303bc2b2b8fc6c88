package io.baton.it.yarn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One mini YARN and HDFS cluster (two NodeManagers) and one container {@code lib/} for every YARN
 * session test class of a test JVM: starting them costs tens of seconds on a busy machine, and a
 * class's sessions are YARN applications of their own that it stops before it ends, so the classes
 * do not see each other's. A class asks for it as a parameter of its {@code @BeforeAll} method,
 * with {@code @ExtendWith(SharedMiniYarn.Resolver.class)}; JUnit closes it when the test run ends.
 */
public final class SharedMiniYarn implements AutoCloseable {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedMiniYarn.class);

  private final Path dir;
  private final MiniYarn yarn;
  private final Path lib;

  private SharedMiniYarn(Path dir, MiniYarn yarn, Path lib) {
    this.dir = dir;
    this.yarn = yarn;
    this.lib = lib;
  }

  private static SharedMiniYarn start() {
    try {
      Path dir = Files.createTempDirectory("baton-yarn-");
      MiniYarn yarn = MiniYarn.start(dir.resolve("yarn"), 2);
      try {
        return new SharedMiniYarn(dir, yarn, ClasspathLib.create(dir.resolve("lib")));
      } catch (IOException | RuntimeException e) {
        yarn.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the shared mini YARN cluster did not start", e);
    }
  }

  public MiniYarn yarn() {
    return yarn;
  }

  /** The {@code lib/} every session of these classes uploads (see {@link ClasspathLib}). */
  public Path lib() {
    return lib;
  }

  @Override
  public void close() throws IOException {
    try {
      yarn.close();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** Hands the JVM's one {@link SharedMiniYarn} to a parameter, starting it on first use. */
  public static final class Resolver implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == SharedMiniYarn.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getRoot()
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(SharedMiniYarn.class, k -> start(), SharedMiniYarn.class);
    }
  }
}
