package io.baton.ha;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Job jars kept where every JobManager of the cluster can read them, so that a new leader can
 * recover jobs whose jar was uploaded to another. Keys are the jar's content hash (as the
 * JobManager's local jar store names them). Writes fail with {@link LeadershipLostException} once
 * the writer no longer leads.
 */
public interface JobJarStore {

  /** Copies {@code jar} in under {@code key}, file first, pointer second; an existing key stays. */
  void put(String key, Path jar) throws IOException;

  boolean contains(String key) throws IOException;

  /**
   * Copies the jar stored under {@code key} to {@code target}.
   *
   * @throws IOException naming the key when there is no such jar or its file is gone
   */
  void copyTo(String key, Path target) throws IOException;

  /** Removes a jar, pointer first, file second; nothing to remove is fine. */
  void delete(String key) throws IOException;

  Set<String> keys() throws IOException;
}
