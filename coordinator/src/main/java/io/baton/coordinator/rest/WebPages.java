package io.baton.coordinator.rest;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The web pages every JobManager serves: Flink's web dashboard at {@code /} (the static files of
 * {@code flink-runtime-web}, unpacked into this jar at build time under {@value #DASHBOARD}) and
 * Baton's HA console at {@value #CONSOLE_PATH}/ (plain HTML, CSS and JavaScript under {@value
 * #CONSOLE}).
 *
 * <p>The pages themselves are public: they hold no data, and a browser cannot send a bearer token
 * with a page load. Their data calls go through the token check like any other call (the console
 * offers a field that keeps the token in a cookie the check accepts).
 *
 * <p>The dashboard calls Flink's paths without {@code /v1} (its base URL is {@code .}); a call
 * whose {@code Referer} is the dashboard's page counts as Flink's (see {@link #calledByDashboard}),
 * so a standby passes it on to the leader as it does Flink's {@code /v1} calls.
 */
final class WebPages {
  static final String DASHBOARD = "/flink-dashboard/web";
  static final String CONSOLE = "/baton-console";
  static final String CONSOLE_PATH = "/console";

  /** Hashed file names change with every release: a browser may keep them for a day. */
  private static final String DASHBOARD_CACHING = "public, max-age=86400";

  /** The pages that name the hashed files, and the console: always asked again. */
  private static final String PAGE_CACHING = "no-cache";

  /** Put before {@code </body>} of the dashboard's page: the way to Baton's console. */
  static final String CONSOLE_LINK =
      "<a id=\"baton-console-link\" href=\"console/\" title=\"Baton's HA console: leader,"
          + " standbys, failovers\" style=\"position:fixed;right:16px;bottom:12px;z-index:10000;"
          + "padding:4px 10px;border-radius:4px;background:#1f2d3d;color:#fff;"
          + "font:13px sans-serif;text-decoration:none\">Baton HA console</a>";

  private final ClassLoader classLoader;
  private final String dashboardIndex;
  private final String consoleIndex;

  WebPages() {
    this(WebPages.class.getClassLoader());
  }

  WebPages(ClassLoader classLoader) {
    this.classLoader = classLoader;
    this.dashboardIndex = withConsoleLink(read(DASHBOARD + "/index.html"));
    this.consoleIndex = read(CONSOLE + "/index.html");
  }

  /** Serves both sets of static files from the class path, each with its caching header. */
  void addStaticFiles(JavalinConfig config) {
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/";
          files.directory = DASHBOARD;
          files.location = Location.CLASSPATH;
          files.headers = Map.of("Cache-Control", DASHBOARD_CACHING);
        });
    config.staticFiles.add(
        files -> {
          files.hostedPath = CONSOLE_PATH;
          files.directory = CONSOLE;
          files.location = Location.CLASSPATH;
          files.headers = Map.of("Cache-Control", PAGE_CACHING);
        });
  }

  /** {@code GET /} and {@code /index.html}: the dashboard's page, with the console's link. */
  void dashboardIndex(Context ctx) {
    ctx.header("Cache-Control", PAGE_CACHING).html(dashboardIndex);
  }

  /**
   * {@code GET /console/}: the console's page; {@code /console} (which routes alike) is sent to the
   * directory, as the page's relative links expect.
   */
  void consoleIndex(Context ctx) {
    if (!ctx.path().endsWith("/")) {
      ctx.redirect(CONSOLE_PATH + "/", HttpStatus.MOVED_PERMANENTLY);
      return;
    }
    ctx.header("Cache-Control", PAGE_CACHING).html(consoleIndex);
  }

  /** Whether the request reads one of the pages or their files, which need no token. */
  boolean isPage(Context ctx) {
    HandlerType method = ctx.method();
    if (method != HandlerType.GET && method != HandlerType.HEAD) {
      return false;
    }
    String path = ctx.path();
    if (path.equals("/") || path.equals("/index.html") || path.equals(CONSOLE_PATH)) {
      return true;
    }
    if (path.contains("..") || path.contains("//")) {
      return false;
    }
    if (path.startsWith(CONSOLE_PATH + "/")) {
      String file = path.substring(CONSOLE_PATH.length());
      return file.equals("/") || exists(CONSOLE + file);
    }
    return exists(DASHBOARD + path);
  }

  /**
   * Whether the request is a data call of the dashboard's page: same host, and a {@code Referer}
   * naming the page ({@code /}, or {@code /index.html}; the dashboard routes by URL fragment, which
   * a {@code Referer} never carries).
   */
  static boolean calledByDashboard(Context ctx) {
    String referer = ctx.header("Referer");
    String host = ctx.header("Host");
    if (referer == null || host == null) {
      return false;
    }
    try {
      URI page = new URI(referer);
      String path =
          page.getRawPath() == null || page.getRawPath().isEmpty() ? "/" : page.getRawPath();
      return host.equalsIgnoreCase(page.getRawAuthority())
          && (path.equals("/") || path.equals("/index.html"));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static String withConsoleLink(String html) {
    int end = html.lastIndexOf("</body>");
    return end < 0
        ? html + CONSOLE_LINK
        : html.substring(0, end) + CONSOLE_LINK + html.substring(end);
  }

  /** Whether {@code resource} is a file on the class path: a directory is no page. */
  private boolean exists(String resource) {
    if (resource.endsWith("/")) {
      return false;
    }
    URL url = classLoader.getResource(resource.substring(1));
    if (url == null) {
      return false;
    }
    if (!"file".equals(url.getProtocol())) {
      // in a jar a directory is only found with its trailing slash
      return true;
    }
    try {
      return Files.isRegularFile(Path.of(url.toURI()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return false;
    }
  }

  private String read(String resource) {
    try (InputStream in = classLoader.getResourceAsStream(resource.substring(1))) {
      if (in == null) {
        throw new IllegalStateException(
            "the web dashboard's files are missing from the class path ("
                + resource
                + "): rebuild with mvn package");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the class path", e);
    }
  }
}
