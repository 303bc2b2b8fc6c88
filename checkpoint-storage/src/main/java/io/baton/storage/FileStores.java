package io.baton.storage;

import io.baton.common.config.Configuration;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the {@link FileStore} for a URI by its scheme: {@code file} (also a plain path), {@code
 * hdfs}, {@code s3}. Stores are created on first use and shared per scheme and authority; closing
 * this closes them all.
 */
public final class FileStores implements AutoCloseable {
  private final Configuration configuration;
  private final Map<String, FileStore> stores = new LinkedHashMap<>();

  public FileStores(Configuration configuration) {
    this.configuration = configuration;
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
   * @throws IOException when the store cannot be reached (its message names the URI)
   */
  public synchronized FileStore forUri(URI uri) throws IOException {
    String scheme =
        uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
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
      default ->
          throw new IllegalArgumentException(
              "unsupported storage scheme '"
                  + scheme
                  + "' in "
                  + uri
                  + ": use file://, hdfs:// or s3://");
    };
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
        failure = e;
      }
    }
    stores.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
