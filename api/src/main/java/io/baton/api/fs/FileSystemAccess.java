package io.baton.api.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Files behind {@code file://}, {@code hdfs://} and {@code s3://} URIs (a plain path means a local
 * file), as connectors see them. On a cluster the runtime backs it with Baton's checkpoint storage
 * (configured by the {@code s3.*} and {@code fs.hdfs.hadoopconf} keys); {@link #local()} serves
 * local files only, for tests and tools.
 */
public interface FileSystemAccess {

  /**
   * Starts writing a file that appears at {@code uri} complete or not at all: only when the
   * returned stream is closed without error.
   */
  OutputStream createAtomic(String uri) throws IOException;

  /**
   * @throws java.io.FileNotFoundException when there is no such file
   */
  InputStream open(String uri) throws IOException;

  boolean exists(String uri) throws IOException;

  /** The URIs of the files directly under a directory (or key prefix); empty when there is none. */
  List<String> list(String directoryUri) throws IOException;

  /**
   * Gives a complete file a new name in the same file system; where the store cannot rename (S3) it
   * copies then deletes. The target appears complete or not at all.
   */
  void rename(String fromUri, String toUri) throws IOException;

  /** Deletes a file; a missing file is fine. */
  void delete(String uri) throws IOException;

  /** Local files through java.nio. */
  static FileSystemAccess local() {
    return new LocalFileSystemAccess();
  }
}
