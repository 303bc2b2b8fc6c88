package io.baton.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** Building and naming the URIs that stores hand out. */
final class StorageUris {
  /** Hidden temporary names of files being written: {@code .<name>.tmp-<uuid>}. */
  private static final Pattern IN_PROGRESS =
      Pattern.compile("^\\..+\\.tmp-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

  private StorageUris() {}

  /** The hidden name a file is written under before it is published. */
  static String inProgressName(String name) {
    return "." + name + ".tmp-" + java.util.UUID.randomUUID();
  }

  /** Whether a file name is that of a file still being written, to be left out of listings. */
  static boolean isInProgress(String name) {
    return IN_PROGRESS.matcher(name).matches();
  }

  /** {@code scheme://authority/path}, quoting what must be quoted. */
  static URI of(String scheme, String authority, String path) {
    try {
      return new URI(scheme, authority, path, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot build a URI from " + path + ": " + e.getReason());
    }
  }

  /** The path of a URI as a directory: ending with exactly one '/'. */
  static String directoryPath(URI directory) {
    String path =
        directory.getPath() == null || directory.getPath().isEmpty() ? "/" : directory.getPath();
    return path.endsWith("/") ? path : path + "/";
  }

  /** The last segment of a path, without a trailing '/'. */
  static String fileName(String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  /** The URI of {@code name} directly under {@code directory}. */
  static URI child(URI directory, String name) {
    return of(directory.getScheme(), directory.getAuthority(), directoryPath(directory) + name);
  }
}
