package io.baton.coordinator.rest;

import io.baton.common.config.SecurityOptions;
import io.baton.common.security.RestToken;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses every request without the REST token ({@code rest.auth.type: token}) before any handler
 * sees it, so a refused request changes nothing. {@code GET /ha} stays open: it is how clients and
 * scripts find the leader, and it shows nothing secret. So do CORS preflights, which carry no
 * credentials by design, and the web pages' static files ({@link WebPages}), which hold no data.
 *
 * <p>A browser cannot add a header to a page's calls: it may send the token in the cookie {@value
 * #COOKIE} instead (the HA console sets it), as {@code SameSite=Strict} keeps other sites from
 * sending it.
 */
final class TokenCheck {
  private static final Logger LOG = LoggerFactory.getLogger(TokenCheck.class);

  static final String REFUSED =
      "missing or wrong REST token: send 'Authorization: Bearer <token>' with the secret in "
          + SecurityOptions.REST_AUTH_TOKEN_FILE.key();

  /** The cookie a browser may carry the token in. */
  static final String COOKIE = "baton-rest-token";

  private final RestToken token;
  private final WebPages pages;

  TokenCheck(RestToken token, WebPages pages) {
    this.token = token;
    this.pages = pages;
  }

  /**
   * Whether the request may go on; when not, the caller answers 401 with {@link #REFUSED} and skips
   * every other handler.
   */
  boolean admits(Context ctx) {
    HandlerType method = ctx.method();
    if ((method == HandlerType.GET || method == HandlerType.HEAD) && ctx.path().equals("/ha")) {
      return true;
    }
    if (method == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
      return true;
    }
    if (pages.isPage(ctx)) {
      return true;
    }
    if (token.matches(ctx.header(RestToken.HEADER))) {
      return true;
    }
    String cookie = ctx.cookie(COOKIE);
    if (cookie != null && token.matches("Bearer " + cookie)) {
      return true;
    }
    LOG.info(
        "Refused {} {} from {}: {}",
        method,
        ctx.path(),
        ctx.req().getRemoteAddr(),
        ctx.header(RestToken.HEADER) == null ? "no token" : "wrong token");
    return false;
  }
}
