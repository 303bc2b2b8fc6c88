package io.baton.coordinator.program;

import io.baton.api.graph.InvalidJobGraphException;
import io.baton.api.graph.JobGraph;
import io.baton.common.classloading.UserCodeClassLoader;
import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.common.config.ErrorLines;
import io.baton.common.io.Closeables;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a job jar into a validated {@link JobGraph}: checks the jar, its main class and the
 * parallelism in the JobManager (no user code runs for that), has a {@link ProgramJvm} run {@code
 * main(String[])} in a child JVM with a capturing {@link io.baton.api.JobExecutor} installed, reads
 * the graph main() handed over with the job jar's own {@link UserCodeClassLoader} and validates it.
 * Every way this can go wrong ends in a {@link ProgramInvocationException} with one line.
 */
public final class JobGraphExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(JobGraphExtractor.class);

  private final ClassLoader parent;
  private final int defaultParallelism;
  private final int parallelismMax;
  private final ProgramJvm jvm;

  /**
   * @param parent the JobManager's class loader; Baton's api comes from it
   * @param defaultParallelism parallelism of a run that asks for none
   * @param parallelismMax the largest parallelism a job may use
   * @param jvm runs each main() in a JVM of its own
   */
  public JobGraphExtractor(
      ClassLoader parent, int defaultParallelism, int parallelismMax, ProgramJvm jvm) {
    this.parent = parent;
    this.defaultParallelism = defaultParallelism;
    this.parallelismMax = parallelismMax;
    this.jvm = jvm;
  }

  /**
   * Reads parallelism.default, parallelism.max, jobmanager.program.timeout and
   * jobmanager.program.heap.mb.
   */
  public static JobGraphExtractor fromConfiguration(
      Configuration configuration, ClassLoader parent) {
    return new JobGraphExtractor(
        parent,
        configuration.get(CoreOptions.DEFAULT_PARALLELISM),
        configuration.get(CoreOptions.MAX_PARALLELISM),
        ProgramJvm.fromConfiguration(configuration));
  }

  /**
   * Runs the jar's main() and returns the job it builds. The caller owns the returned program's
   * class loader and closes it when the job ends.
   *
   * @throws ProgramInvocationException with one line saying what is wrong with the jar or its job
   */
  public ExtractedProgram extract(ProgramRequest request) throws ProgramInvocationException {
    Optional<Manifest> manifest = readManifest(request.jar(), request.jarName());
    String mainClassName =
        request
            .entryClass()
            .or(() -> manifest.map(m -> m.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS)))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .orElseThrow(
                () ->
                    new ProgramInvocationException(
                        "no main class: "
                            + request.jarName()
                            + " has no Main-Class in its manifest and none was given with"
                            + " -c/entryClass"));
    int parallelism = request.parallelism().orElse(defaultParallelism);
    if (parallelism < 1) {
      throw new ProgramInvocationException(
          "parallelism must be at least 1, got " + parallelism + " (-p/parallelism)");
    }
    if (parallelism > parallelismMax) {
      throw new ProgramInvocationException(
          "parallelism " + parallelism + " is more than parallelism.max (" + parallelismMax + ")");
    }
    UserCodeClassLoader loader = new UserCodeClassLoader(new URL[] {toUrl(request.jar())}, parent);
    try {
      checkMainMethod(loader, mainClassName, request.jarName());
      JobGraph graph =
          jvm.buildGraph(
              request.jar(),
              mainClassName,
              parallelism,
              request.args(),
              new JobGraphReader(loader));
      JobGraph valid = graph.validate(parallelismMax);
      LOG.info(
          "main() of {} in {} built job '{}' with {} vertices",
          mainClassName,
          request.jarName(),
          valid.name(),
          valid.vertices().size());
      return new ExtractedProgram(valid, loader);
    } catch (InvalidJobGraphException invalid) {
      Closeables.closeQuietly(loader, LOG, "the class loader of jar " + request.jarName());
      throw new ProgramInvocationException(invalid.getMessage(), invalid);
    } catch (ProgramInvocationException | RuntimeException | Error e) {
      Closeables.closeQuietly(loader, LOG, "the class loader of jar " + request.jarName());
      throw e;
    }
  }

  private static Optional<Manifest> readManifest(Path jar, String jarName)
      throws ProgramInvocationException {
    if (!Files.isRegularFile(jar)) {
      throw new ProgramInvocationException("jar file " + jarName + " does not exist");
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      return Optional.ofNullable(file.getManifest());
    } catch (ZipException | SecurityException notAZip) {
      throw new ProgramInvocationException("not a jar file: " + jarName, notAZip);
    } catch (IOException e) {
      throw new ProgramInvocationException(
          "cannot read jar " + jarName + ": " + ErrorLines.firstLine(e.getMessage()), e);
    }
  }

  /** Finds main() without initializing its class: no code of the jar runs in the JobManager. */
  private static void checkMainMethod(ClassLoader loader, String mainClassName, String jarName)
      throws ProgramInvocationException {
    Class<?> mainClass;
    try {
      mainClass = Class.forName(mainClassName, false, loader);
    } catch (ClassNotFoundException e) {
      throw new ProgramInvocationException(
          "main class " + mainClassName + " not found in " + jarName, e);
    } catch (LinkageError e) {
      throw cannotLoad(mainClassName, jarName, e);
    }
    try {
      Method main = mainClass.getMethod("main", String[].class);
      if (Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class) {
        return;
      }
    } catch (NoSuchMethodException e) {
      // reported below
    } catch (LinkageError e) {
      throw cannotLoad(mainClassName, jarName, e);
    }
    throw new ProgramInvocationException(
        "main class " + mainClassName + " has no public static void main(String[])");
  }

  private static ProgramInvocationException cannotLoad(
      String mainClassName, String jarName, LinkageError e) {
    return new ProgramInvocationException(
        "main class "
            + mainClassName
            + " in "
            + jarName
            + " cannot be loaded: "
            + ErrorText.describe(e),
        e);
  }

  private static URL toUrl(Path jar) throws ProgramInvocationException {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new ProgramInvocationException("cannot load jar " + jar + ": " + e.getMessage(), e);
    }
  }
}
