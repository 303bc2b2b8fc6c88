package io.baton.taskmanager.executor;

import io.baton.common.classloading.UserCodeClassLoader;
import io.baton.common.ids.JobId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job jars on this TaskManager and one class loader per job: the jar is downloaded once per job
 * (off the main thread), and released (class loader closed, jar deleted) when the job leaves the
 * TaskManager. Jobs without a jar run with the TaskManager's own class loader. Confined to the
 * TaskManager's main thread.
 */
final class JobLibraries {
  private static final Logger LOG = LoggerFactory.getLogger(JobLibraries.class);
  private static final Pattern BLOB_KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

  private record Library(String blobKey, Path dir, CompletableFuture<UserCodeClassLoader> loader) {}

  private final Path blobRoot;
  private final BlobDownloader downloader;
  private final Executor ioExecutor;
  private final Executor mainThread;
  private final ClassLoader parent;
  private final Map<JobId, Library> libraries = new HashMap<>();

  /** Releases still closing a job's loader and deleting its files; a new download waits. */
  private final Map<JobId, CompletableFuture<Void>> releasing = new HashMap<>();

  JobLibraries(
      Path blobRoot,
      BlobDownloader downloader,
      Executor ioExecutor,
      Executor mainThread,
      ClassLoader parent) {
    this.blobRoot = blobRoot;
    this.downloader = downloader;
    this.ioExecutor = ioExecutor;
    this.mainThread = mainThread;
    this.parent = parent;
  }

  /**
   * The class loader for a job's tasks; completes on an I/O thread once the jar is local. Fails
   * with a one-line reason when the jar cannot be fetched.
   */
  CompletableFuture<ClassLoader> classLoader(JobId jobId, String blobKey) {
    if (blobKey.isEmpty()) {
      return CompletableFuture.completedFuture(parent);
    }
    if (!BLOB_KEY.matcher(blobKey).matches()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("invalid blob key '" + blobKey + "' of job " + jobId));
    }
    Library existing = libraries.get(jobId);
    if (existing != null) {
      if (!existing.blobKey().equals(blobKey)) {
        return CompletableFuture.failedFuture(
            new IllegalArgumentException(
                "job "
                    + jobId
                    + " already runs here with jar "
                    + existing.blobKey()
                    + ", not "
                    + blobKey));
      }
      return existing.loader().thenApply(loader -> loader);
    }
    Path dir = blobRoot.resolve(jobId.value());
    Path jar = dir.resolve(blobKey + ".jar");
    CompletableFuture<UserCodeClassLoader> loader =
        releasing
            .getOrDefault(jobId, CompletableFuture.completedFuture(null))
            .thenApplyAsync(ignored -> fetch(jobId, blobKey, jar), ioExecutor);
    Library library = new Library(blobKey, dir, loader);
    libraries.put(jobId, library);
    // a failed download is not cached: the next submission tries again
    loader.whenCompleteAsync(
        (ignored, error) -> {
          if (error != null) {
            libraries.remove(jobId, library);
          }
        },
        mainThread);
    return loader.thenApply(l -> l);
  }

  boolean holds(JobId jobId) {
    return libraries.containsKey(jobId);
  }

  /** Closes the job's class loader and deletes its jar; nothing happens for unknown jobs. */
  void release(JobId jobId) {
    Library library = libraries.remove(jobId);
    if (library == null) {
      return;
    }
    LOG.info("Releasing the class loader and jar {} of job {}", library.blobKey(), jobId);
    CompletableFuture<Void> released =
        library
            .loader()
            .handleAsync(
                (loader, error) -> {
                  if (loader != null) {
                    try {
                      loader.close();
                    } catch (IOException e) {
                      LOG.warn("Could not close the class loader of job {}", jobId, e);
                    }
                  }
                  deleteRecursively(library.dir());
                  return null;
                },
                ioExecutor);
    releasing.put(jobId, released);
    released.whenCompleteAsync((ignored, error) -> releasing.remove(jobId, released), mainThread);
  }

  /** Releases every job. */
  void releaseAll() {
    for (JobId jobId : Map.copyOf(libraries).keySet()) {
      release(jobId);
    }
  }

  private UserCodeClassLoader fetch(JobId jobId, String blobKey, Path jar) {
    try {
      if (!Files.isRegularFile(jar)) {
        long start = System.nanoTime();
        downloader.download(jobId, blobKey, jar);
        LOG.info(
            "Downloaded jar {} of job {} ({} bytes) in {} ms",
            blobKey,
            jobId,
            Files.size(jar),
            (System.nanoTime() - start) / 1_000_000);
      }
      return new UserCodeClassLoader(new URL[] {jar.toUri().toURL()}, parent);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(JobLibraries::deleteQuietly);
    } catch (IOException e) {
      LOG.warn("Could not delete {}", dir, e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("Could not delete {}", path, e);
    }
  }

  /** The message of a failed {@link #classLoader} future, without the wrapping. */
  static String reason(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof UncheckedIOException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
