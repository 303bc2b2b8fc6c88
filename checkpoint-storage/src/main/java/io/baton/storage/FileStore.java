package io.baton.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/**
 * One file system behind a URI scheme (and authority): a local or mounted directory tree, an HDFS
 * namenode, an S3 bucket. Checkpoints, savepoints, job graphs, job jars and the file sink's output
 * all go through it. Implementations are thread-safe.
 *
 * <p>Publishing is atomic: a file written with {@link #create} is visible under its name complete
 * or not at all (local: temporary name, fsync, rename; HDFS: temporary name, close, rename; S3: the
 * PUT or multipart upload completes). So a reader that finds a file can read all of it.
 */
public interface FileStore extends AutoCloseable {

  /** Starts writing {@code path}; it appears only when the stream is closed without error. */
  AtomicOutputStream create(URI path) throws IOException;

  /**
   * @throws java.io.FileNotFoundException when there is no such file
   */
  InputStream open(URI path) throws IOException;

  boolean exists(URI path) throws IOException;

  /**
   * @throws java.io.FileNotFoundException when there is no such file
   */
  long size(URI path) throws IOException;

  /**
   * Files directly under {@code directory} (for S3: under the key prefix), and its subdirectories
   * as URIs ending in '/', sorted; files still being written are not listed. Empty when there are
   * none.
   */
  List<URI> list(URI directory) throws IOException;

  /** Gives a complete file a new name; the target appears complete or not at all. */
  void rename(URI from, URI to) throws IOException;

  /** Deletes a file; a missing file is fine. */
  void delete(URI path) throws IOException;

  /** Deletes a directory (for S3: every key under the prefix); a missing one is fine. */
  void deleteRecursively(URI directory) throws IOException;

  /** Releases clients and connections. */
  @Override
  void close() throws IOException;
}
