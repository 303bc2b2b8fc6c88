package io.baton.coordinator.program;

import io.baton.api.StreamEnvironment;
import io.baton.api.graph.InvalidJobGraphException;
import io.baton.api.graph.JobGraph;
import io.baton.common.classloading.UserCodeClassLoader;
import io.baton.common.config.Configuration;
import io.baton.common.config.CoreOptions;
import io.baton.common.config.JobManagerOptions;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a job jar into a validated {@link JobGraph}: loads the main class in its own {@link
 * UserCodeClassLoader}, runs {@code main(String[])} on a thread of its own with a capturing {@link
 * io.baton.api.JobExecutor} installed, and validates the graph main() hands over. Every way this
 * can go wrong ends in a {@link ProgramInvocationException} with one line.
 */
public final class JobGraphExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(JobGraphExtractor.class);

  private final ClassLoader parent;
  private final int defaultParallelism;
  private final int parallelismMax;
  private final Duration timeout;
  private final ThreadFactory mainThreads;

  /**
   * @param parent the JobManager's class loader; Baton's api comes from it
   * @param defaultParallelism parallelism of a run that asks for none
   * @param parallelismMax the largest parallelism a job may use
   * @param timeout how long main() may take
   * @param mainThreads makes the thread each main() runs on
   */
  public JobGraphExtractor(
      ClassLoader parent,
      int defaultParallelism,
      int parallelismMax,
      Duration timeout,
      ThreadFactory mainThreads) {
    this.parent = parent;
    this.defaultParallelism = defaultParallelism;
    this.parallelismMax = parallelismMax;
    this.timeout = timeout;
    this.mainThreads = mainThreads;
  }

  /** Reads parallelism.default, parallelism.max and jobmanager.program.timeout. */
  public static JobGraphExtractor fromConfiguration(
      Configuration configuration, ClassLoader parent) {
    return new JobGraphExtractor(
        parent,
        configuration.get(CoreOptions.DEFAULT_PARALLELISM),
        configuration.get(CoreOptions.MAX_PARALLELISM),
        configuration.get(JobManagerOptions.PROGRAM_TIMEOUT),
        JobGraphExtractor::daemonThread);
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
      Method main = mainMethod(loader, mainClassName, request.jarName());
      JobGraph graph = runMain(main, mainClassName, request.args(), parallelism, loader);
      JobGraph valid = graph.validate(parallelismMax);
      LOG.info(
          "main() of {} in {} built job '{}' with {} vertices",
          mainClassName,
          request.jarName(),
          valid.name(),
          valid.vertices().size());
      return new ExtractedProgram(valid, loader);
    } catch (InvalidJobGraphException invalid) {
      closeQuietly(loader);
      throw new ProgramInvocationException(invalid.getMessage(), invalid);
    } catch (ProgramInvocationException | RuntimeException | Error e) {
      closeQuietly(loader);
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
          "cannot read jar " + jarName + ": " + oneLine(e.getMessage()), e);
    }
  }

  private static Method mainMethod(ClassLoader loader, String mainClassName, String jarName)
      throws ProgramInvocationException {
    Class<?> mainClass;
    try {
      mainClass = Class.forName(mainClassName, false, loader);
    } catch (ClassNotFoundException e) {
      throw new ProgramInvocationException(
          "main class " + mainClassName + " not found in " + jarName, e);
    } catch (LinkageError e) {
      throw new ProgramInvocationException(
          "main class " + mainClassName + " in " + jarName + " cannot be loaded: " + describe(e),
          e);
    }
    try {
      Method main = mainClass.getMethod("main", String[].class);
      if (Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class) {
        return main;
      }
    } catch (NoSuchMethodException e) {
      // reported below
    } catch (LinkageError e) {
      throw new ProgramInvocationException(
          "main class " + mainClassName + " in " + jarName + " cannot be loaded: " + describe(e),
          e);
    }
    throw new ProgramInvocationException(
        "main class " + mainClassName + " has no public static void main(String[])");
  }

  private JobGraph runMain(
      Method main, String mainClassName, List<String> args, int parallelism, ClassLoader loader)
      throws ProgramInvocationException {
    CapturingJobExecutor executor = new CapturingJobExecutor(parallelism, mainClassName);
    CompletableFuture<Void> returned = new CompletableFuture<>();
    String[] argv = args.toArray(String[]::new);
    Thread thread =
        mainThreads.newThread(
            () -> {
              try {
                StreamEnvironment.runWithExecutor(executor, () -> main.invoke(null, (Object) argv));
                returned.complete(null);
              } catch (Throwable t) {
                returned.completeExceptionally(t);
              }
            });
    thread.setName("baton-program " + mainClassName);
    thread.setContextClassLoader(loader);
    thread.start();
    try {
      returned.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      thread.interrupt();
      if (executor.graph().isEmpty() || executor.executedMoreThanOnce()) {
        throw new ProgramInvocationException(
            "main() of "
                + mainClassName
                + " did not build a job within "
                + JobManagerOptions.PROGRAM_TIMEOUT.print(timeout)
                + " (jobmanager.program.timeout)");
      }
      LOG.warn(
          "main() of {} built its job but did not return within {}; interrupted it",
          mainClassName,
          JobManagerOptions.PROGRAM_TIMEOUT.print(timeout));
    } catch (ExecutionException e) {
      if (!executor.executedMoreThanOnce()) {
        Throwable root = rootCause(e.getCause());
        throw new ProgramInvocationException(
            "main() of " + mainClassName + " failed: " + describe(root), root);
      }
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw new ProgramInvocationException(
          "interrupted while main() of " + mainClassName + " ran", e);
    }
    if (executor.executedMoreThanOnce()) {
      throw new ProgramInvocationException(
          "main() of " + mainClassName + " submitted more than one job");
    }
    return executor
        .graph()
        .orElseThrow(
            () ->
                new ProgramInvocationException(
                    "main() of " + mainClassName + " did not call execute()"));
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (true) {
      Throwable next =
          root instanceof InvocationTargetException ite
              ? ite.getTargetException()
              : root.getCause();
      if (next == null || next == root) {
        return root;
      }
      root = next;
    }
  }

  private static String describe(Throwable t) {
    String message = oneLine(t.getMessage());
    return message.isEmpty() ? t.getClass().getName() : t.getClass().getName() + ": " + message;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("").trim();
  }

  private static URL toUrl(Path jar) throws ProgramInvocationException {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new ProgramInvocationException("cannot load jar " + jar + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(UserCodeClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      LOG.debug("Could not close a job's class loader", e);
    }
  }

  private static Thread daemonThread(Runnable body) {
    Thread thread = new Thread(body, "baton-program-main");
    thread.setDaemon(true);
    return thread;
  }
}
