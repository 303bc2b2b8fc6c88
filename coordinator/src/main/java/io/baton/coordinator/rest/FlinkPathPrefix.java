package io.baton.coordinator.rest;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * Serves every route under {@code /v1/} too, as Flink's REST server does: Flink's REST client (its
 * CLI, {@code RestClusterClient}) puts {@code /v1} before every path. The prefix is taken off
 * before routing, so each route is registered once, and the request is marked as one of Flink's
 * clients (see {@link #fromFlinkClient}): a standby proxies those to the leader instead of
 * answering with Baton's own {@code {"leader": false}}, which Flink's client cannot read.
 */
final class FlinkPathPrefix implements Filter {
  static final String PREFIX = "/v1";

  private static final String MARK = "baton.flink-client";

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http && hasPrefix(http.getRequestURI())) {
      http.setAttribute(MARK, Boolean.TRUE);
      chain.doFilter(new Unprefixed(http), response);
      return;
    }
    chain.doFilter(request, response);
  }

  /** Whether the request came with the {@code /v1} prefix. */
  static boolean fromFlinkClient(HttpServletRequest request) {
    return request.getAttribute(MARK) != null;
  }

  private static boolean hasPrefix(String uri) {
    return uri != null
        && uri.startsWith(PREFIX)
        && (uri.length() == PREFIX.length() || uri.charAt(PREFIX.length()) == '/');
  }

  private static String strip(String path) {
    if (path == null || !hasPrefix(path)) {
      return path;
    }
    String rest = path.substring(PREFIX.length());
    return rest.isEmpty() ? "/" : rest;
  }

  /** The request as if it had come without the prefix. */
  private static final class Unprefixed extends HttpServletRequestWrapper {
    Unprefixed(HttpServletRequest request) {
      super(request);
    }

    @Override
    public String getRequestURI() {
      return strip(super.getRequestURI());
    }

    @Override
    public StringBuffer getRequestURL() {
      StringBuffer url = super.getRequestURL();
      String uri = super.getRequestURI();
      int at = url.lastIndexOf(uri);
      return at < 0 ? url : new StringBuffer(url.substring(0, at)).append(strip(uri));
    }

    @Override
    public String getServletPath() {
      return strip(super.getServletPath());
    }

    @Override
    public String getPathInfo() {
      return strip(super.getPathInfo());
    }
  }
}
