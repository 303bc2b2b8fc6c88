package io.baton.storage;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Finds the {@link FileStore} for a URI by its scheme: {@code file} (also a plain path), {@code
 * hdfs}, {@code s3}. Stores are created on first use and shared per scheme and authority (one per
 * namenode, one per bucket); closing this closes them all.
 */
public final class FileStores implements AutoCloseable {
  private final Configuration configuration;
  private final Map<String, String> environment;
  private final Map<String, FileStore> stores = new LinkedHashMap<>();

  public FileStores(Configuration configuration) {
    this(configuration, System.getenv());
  }

  /** With the process environment given, for {@code $HADOOP_CONF_DIR}. */
  FileStores(Configuration configuration, Map<String, String> environment) {
    this.configuration = configuration;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Parses a configured or user-given location: a URI with a scheme, or a plain local path.
   *
   * @throws IllegalArgumentException with one line naming the location when it is not a URI
   */
  public static URI toUri(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("empty storage location");
    }
    if (!location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return Path.of(location).toAbsolutePath().normalize().toUri();
    }
    try {
      return new URI(location);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "'" + location + "' is not a valid URI: " + e.getReason(), e);
    }
  }

  /**
   * The store that holds {@code uri}.
   *
   * @throws IllegalArgumentException for a scheme Baton does not support, naming the URI
   * @throws IllegalConfigurationException when the store's configuration keys are unusable
   * @throws IOException when the store cannot be reached (its message names the URI)
   */
  public synchronized FileStore forUri(URI uri) throws IOException {
    String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
    String key = scheme + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority());
    FileStore store = stores.get(key);
    if (store == null) {
      store = create(scheme, uri);
      stores.put(key, store);
    }
    return store;
  }

  private FileStore create(String scheme, URI uri) throws IOException {
    return switch (scheme) {
      case "file" -> new LocalFileStore();
      case "hdfs" ->
          HdfsFileStore.connect(uri, HadoopConfigurations.load(configuration, environment));
      case "s3" -> S3FileStore.create(bucket(uri), S3Settings.from(configuration));
      default ->
          throw new IllegalArgumentException(
              "unsupported storage scheme '"
                  + scheme
                  + "' in "
                  + uri
                  + ": use file://, hdfs:// or s3://");
    };
  }

  private static String bucket(URI uri) {
    String bucket = uri.getAuthority();
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException(uri + " names no bucket: use s3://<bucket>/<prefix>");
    }
    return bucket;
  }

  /**
   * Checks at start-up that {@code location} can be written: writes a small probe file under it,
   * reads it back and deletes it.
   *
   * @param configKey the configuration key the location came from, for the message
   * @throws IllegalConfigurationException with one line "cannot use {@code <configKey> <uri>}:
   *     {@code <cause>}"
   */
  public void checkWritable(URI location, String configKey) {
    URI probe = StorageUris.child(location, ".baton-probe-" + UUID.randomUUID());
    byte[] content = ("Baton storage probe " + probe).getBytes(StandardCharsets.UTF_8);
    FileStore store = null;
    try {
      store = forUri(location);
      try (AtomicOutputStream out = store.create(probe)) {
        out.write(content);
      }
      byte[] read;
      try (InputStream in = store.open(probe)) {
        read = in.readAllBytes();
      }
      store.delete(probe);
      if (!Arrays.equals(content, read)) {
        throw new IOException("the probe file " + probe + " read back differently");
      }
    } catch (IOException | RuntimeException e) {
      deleteQuietly(store, probe);
      throw new IllegalConfigurationException(
          "cannot use " + configKey + " " + location + ": " + reason(e), e);
    }
  }

  private static void deleteQuietly(FileStore store, URI probe) {
    if (store == null) {
      return;
    }
    try {
      store.delete(probe);
    } catch (IOException | RuntimeException ignored) {
      // the store failed already; the check reports that failure, not this one
    }
  }

  private static String reason(Exception e) {
    if (e instanceof StorageFailure failure) {
      return failure.reason();
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return StorageFailure.describe(e);
    }
    return StorageFailure.firstLine(message);
  }

  Configuration configuration() {
    return configuration;
  }

  @Override
  public synchronized void close() throws IOException {
    IOException failure = null;
    for (FileStore store : stores.values()) {
      try {
        store.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    stores.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
