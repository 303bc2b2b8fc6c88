package io.baton.coordinator.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Job jars on the JobManager: uploaded through REST, read when a job is submitted and streamed to
 * TaskManagers that deploy its tasks. Keys are the SHA-256 of the content (hex), so the same jar
 * uploaded twice is stored once.
 */
public interface BlobStore extends AutoCloseable {

  /** Stores a jar; returns its key. The original file name is kept for listings. */
  String put(InputStream content, String originalName) throws IOException;

  /** The local file of a stored jar. */
  Path localFile(String key) throws IOException;

  /** Opens a stored jar for reading. */
  InputStream open(String key) throws IOException;

  boolean contains(String key);

  /** Stored jars, newest first. */
  List<StoredJar> list();

  void delete(String key) throws IOException;

  /** A jar in the store. */
  record StoredJar(String key, String name, long uploaded, long sizeBytes) {}
}
