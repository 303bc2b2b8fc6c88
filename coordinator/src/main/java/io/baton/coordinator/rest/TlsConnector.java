package io.baton.coordinator.rest;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.SecurityOptions;
import io.baton.common.security.TlsStores;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The REST server's https connector ({@code security.ssl.rest.enabled}): the keystore's
 * certificate, and with {@code security.ssl.rest.authentication-enabled} a client certificate the
 * truststore trusts is required.
 */
final class TlsConnector {
  private final SSLContext context;
  private final boolean clientCertificates;

  private TlsConnector(SSLContext context, boolean clientCertificates) {
    this.context = context;
    this.clientCertificates = clientCertificates;
  }

  /**
   * Reads the stores now, so a wrong path or password stops start-up with one line.
   *
   * @return null when REST TLS is off
   */
  static TlsConnector fromConfiguration(Configuration config) {
    if (!config.get(SecurityOptions.SSL_REST_ENABLED)) {
      return null;
    }
    boolean mutual = config.get(SecurityOptions.SSL_REST_AUTHENTICATION_ENABLED);
    TlsStores stores = TlsStores.rest(config);
    if (!stores.hasKeystore()) {
      throw new IllegalConfigurationException(
          SecurityOptions.SSL_REST_ENABLED.key()
              + ": true needs "
              + SecurityOptions.SSL_REST_KEYSTORE.key()
              + " (the server's certificate)");
    }
    stores.check(true);
    return new TlsConnector(stores.sslContext(), mutual);
  }

  /** Whether clients must present a certificate. */
  boolean mutual() {
    return clientCertificates;
  }

  /** An https connector on {@code host:port} for Javalin's Jetty server. */
  Connector create(Server server, HttpConfiguration http, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(context);
    ssl.setNeedClientAuth(clientCertificates);
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // clients check the host name against the certificate; the server need not refuse an SNI
    // name the certificate lacks (a client connecting by IP sends none)
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
