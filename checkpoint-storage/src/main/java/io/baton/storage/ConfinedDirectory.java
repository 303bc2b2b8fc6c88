package io.baton.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A storage directory that locations read from outside must stay in. A location is normalized
 * before it is compared (percent-encoding decoded once, {@code .}, {@code ..} and empty segments
 * resolved, scheme and authority compared without case), so that no spelling names a file outside:
 * not an absolute path elsewhere, not a {@code ../} escape, not another scheme, namenode or bucket.
 * Callers then use the normalized URI it returns, so what was checked is what is opened or deleted.
 */
public final class ConfinedDirectory {
  private final URI root;
  private final String scheme;
  private final String authority;
  private final String rootPath;
  private final String description;

  private ConfinedDirectory(URI root, String description) {
    this.scheme = lower(root.getScheme() == null ? "file" : root.getScheme());
    this.authority = authorityOf(root);
    String path = normalizedPath(root.getPath());
    if (path == null) {
      throw new IllegalArgumentException("storage directory " + root + " escapes its own root");
    }
    this.rootPath = path.endsWith("/") ? path : path + "/";
    this.root = build(scheme, root.getAuthority(), rootPath);
    this.description = description;
  }

  /**
   * @param root the directory (a URI with a scheme, as {@link FileStores#toUri} makes them)
   * @param description what the directory is, for messages: e.g. the configuration key it comes
   *     from
   */
  public static ConfinedDirectory of(URI root, String description) {
    Objects.requireNonNull(root, "root");
    if (root.isOpaque()) {
      throw new IllegalArgumentException(
          "storage directory " + root + " is not a hierarchical URI");
    }
    return new ConfinedDirectory(root, description);
  }

  /** The directory, its path ending with '/'. */
  public URI root() {
    return root;
  }

  /** The normalized form of {@code location} when it lies strictly inside this directory. */
  public Optional<URI> resolve(URI location) {
    if (location == null
        || location.isOpaque()
        || location.getScheme() == null
        || location.getRawQuery() != null
        || location.getRawFragment() != null
        || !scheme.equals(lower(location.getScheme()))
        || !authority.equals(authorityOf(location))) {
      return Optional.empty();
    }
    String path = normalizedPath(location.getPath());
    if (path == null || !path.startsWith(rootPath) || path.length() == rootPath.length()) {
      return Optional.empty();
    }
    return Optional.of(build(scheme, root.getAuthority(), path));
  }

  /** Whether {@code location} lies strictly inside this directory. */
  public boolean contains(URI location) {
    return resolve(location).isPresent();
  }

  /**
   * The normalized form of {@code location}, which {@code source} (e.g. a znode's path) named.
   *
   * @throws OutsideStorageException one line naming {@code source}, the location and this
   *     directory, when it lies outside
   */
  public URI confine(URI location, String source) throws OutsideStorageException {
    return resolve(location).orElseThrow(() -> outside(String.valueOf(location), source));
  }

  /** As {@link #confine(URI, String)} for a location given as text (a URI or a local path). */
  public URI confine(String location, String source) throws OutsideStorageException {
    URI uri;
    try {
      uri = FileStores.toUri(location);
    } catch (RuntimeException e) {
      throw outside(location, source);
    }
    return resolve(uri).orElseThrow(() -> outside(location, source));
  }

  private OutsideStorageException outside(String location, String source) {
    return new OutsideStorageException(
        source
            + " names "
            + location
            + ", outside "
            + description
            + " "
            + root
            + ": refused, neither read nor deleted");
  }

  /** The absolute path with '.', '..' and empty segments resolved; null when '..' escapes '/'. */
  private static String normalizedPath(String path) {
    if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
      return null;
    }
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (segments.isEmpty()) {
          return null;
        }
        segments.removeLast();
      } else {
        segments.addLast(segment);
      }
    }
    String joined = "/" + String.join("/", segments);
    return path.endsWith("/") && !segments.isEmpty() ? joined + "/" : joined;
  }

  private static String authorityOf(URI uri) {
    String a = uri.getAuthority();
    return a == null ? "" : lower(a);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static URI build(String scheme, String authority, String path) {
    try {
      return new URI(scheme, authority, path, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot build a URI from " + path + ": " + e.getReason());
    }
  }

  @Override
  public String toString() {
    return description + " " + root;
  }
}
