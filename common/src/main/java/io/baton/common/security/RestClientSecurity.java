package io.baton.common.security;

import io.baton.common.config.Configuration;
import io.baton.common.config.SecurityOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * What a REST client of Baton (bin/baton, the drill, monitoring scripts) needs to be let in, from
 * the same keys the JobManagers read: https with the REST truststore (and the client keystore under
 * mutual TLS) when {@code security.ssl.rest.enabled}, and the bearer token when {@code
 * rest.auth.type: token}.
 */
public final class RestClientSecurity {
  private final SSLContext tls;
  private final RestToken token;

  private RestClientSecurity(SSLContext tls, RestToken token) {
    this.tls = tls;
    this.token = token;
  }

  /**
   * The client side of the configuration; reads the stores and the token file now.
   *
   * @throws io.baton.common.config.IllegalConfigurationException with one line when a store or the
   *     token file cannot be read
   */
  public static RestClientSecurity fromConfiguration(Configuration config) {
    SSLContext tls = null;
    if (config.get(SecurityOptions.SSL_REST_ENABLED)) {
      tls =
          TlsStores.rest(config)
              .check(config.get(SecurityOptions.SSL_REST_AUTHENTICATION_ENABLED))
              .sslContext();
    }
    return new RestClientSecurity(tls, RestToken.fromConfiguration(config).orElse(null));
  }

  /** Plain http, no token. */
  public static RestClientSecurity none() {
    return new RestClientSecurity(null, null);
  }

  /** {@code https} or {@code http}. */
  public String scheme() {
    return tls != null ? "https" : "http";
  }

  /** {@code scheme://hostAndPort}. */
  public String baseUrl(String hostAndPort) {
    return scheme() + "://" + hostAndPort;
  }

  /** Sets the TLS context on a client builder when REST TLS is on. */
  public HttpClient.Builder configure(HttpClient.Builder builder) {
    return tls == null ? builder : builder.sslContext(tls);
  }

  /** Adds the token's {@code Authorization} header when there is a token. */
  public HttpRequest.Builder authorize(HttpRequest.Builder request) {
    return token == null ? request : request.header(RestToken.HEADER, token.headerValue());
  }

  /** The token, when {@code rest.auth.type: token}. */
  public Optional<RestToken> token() {
    return Optional.ofNullable(token);
  }
}
