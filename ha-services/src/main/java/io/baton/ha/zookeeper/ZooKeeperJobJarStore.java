package io.baton.ha.zookeeper;

import io.baton.ha.JobJarStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Job jars under {@code <cluster>/blobs/<key>}, each pointing to a copy of the jar. */
final class ZooKeeperJobJarStore implements JobJarStore {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperJobJarStore.class);

  private final FilePointerStore store;

  ZooKeeperJobJarStore(FilePointerStore store) {
    this.store = store;
  }

  @Override
  public void put(String key, Path jar) throws IOException {
    if (store.putIfAbsent(checked(key), out -> Files.copy(jar, out))) {
      LOG.info("Job jar {} stored at {}", key, store.pathOf(key));
    }
  }

  @Override
  public boolean contains(String key) throws IOException {
    return store.contains(checked(key));
  }

  @Override
  public void copyTo(String key, Path target) throws IOException {
    boolean found =
        store
            .get(
                checked(key),
                in -> {
                  Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                  return true;
                })
            .isPresent();
    if (!found) {
      throw new IOException("No job jar " + key + " (no pointer " + store.pathOf(key) + ")");
    }
  }

  @Override
  public void delete(String key) throws IOException {
    if (store.remove(checked(key))) {
      LOG.info("Job jar {} removed from {}", key, store.pathOf(key));
    }
  }

  @Override
  public Set<String> keys() throws IOException {
    return new TreeSet<>(store.names());
  }

  /** A key becomes a znode name: it must be one path segment. */
  private static String checked(String key) {
    if (key == null || key.isEmpty() || key.contains("/") || key.equals(".") || key.equals("..")) {
      throw new IllegalArgumentException("invalid job jar key '" + key + "'");
    }
    return key;
  }
}
