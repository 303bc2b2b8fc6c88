package io.baton.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The form a user-chosen storage location must have (a savepoint target, a path to restore from,
 * {@code state.savepoints.dir}): an absolute URI with a scheme, so that it never depends on the
 * working directory of whichever JobManager happens to lead. Whether the cluster can write to that
 * scheme is the storage module's question.
 */
public final class StorageUriForm {
  /** How a good location looks, for error lines. */
  public static final String EXAMPLES =
      "file:///path, hdfs://namenode:port/path or s3://bucket/path";

  private StorageUriForm() {}

  /**
   * Why {@code location} is no absolute storage URI, or empty when it is one.
   *
   * @return e.g. "is not an absolute URI (file:///path, hdfs://namenode:port/path or
   *     s3://bucket/path)"
   */
  public static Optional<String> problem(String location) {
    if (location == null || location.isBlank()) {
      return Optional.of("is empty");
    }
    URI uri;
    try {
      uri = new URI(location.trim());
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URI (" + e.getReason() + ")");
    }
    if (uri.getScheme() == null || uri.isOpaque() || uri.getPath() == null) {
      return Optional.of("is not an absolute URI (" + EXAMPLES + ")");
    }
    if (!uri.getPath().startsWith("/")) {
      return Optional.of("has no absolute path (" + EXAMPLES + ")");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String authority = uri.getAuthority();
    if (scheme.equals("file") && authority != null && !authority.equals("localhost")) {
      return Optional.of(
          "names host '" + authority + "' in a file URI: write file:///path (three slashes)");
    }
    return Optional.empty();
  }

  /** Whether {@code location} is an absolute storage URI. */
  public static boolean isAbsolute(String location) {
    return problem(location).isEmpty();
  }

  /**
   * The location as a URI.
   *
   * @param what what the location is, for the message: "savepoint target"
   * @throws IllegalArgumentException "{@code <what> '<location>' is not an absolute URI (...)}"
   */
  public static URI require(String location, String what) {
    Optional<String> problem = problem(location);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(what + " '" + location + "' " + problem.get());
    }
    return URI.create(location.trim());
  }
}
