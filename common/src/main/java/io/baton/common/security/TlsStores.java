package io.baton.common.security;

import io.baton.common.config.ConfigOption;
import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.SecurityOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The keystore (own key and certificate) and truststore (the CA to trust) of one side of Baton's
 * TLS: the REST API or the internal gRPC channels. JKS and PKCS12 files are both read; a store that
 * cannot be read stops start-up with one line naming its key.
 */
public final class TlsStores {
  private final ConfigOption<String> keystoreKey;
  private final Path keystore;
  private final char[] keystorePassword;
  private final char[] keyPassword;
  private final ConfigOption<String> truststoreKey;
  private final Path truststore;
  private final char[] truststorePassword;

  private TlsStores(
      ConfigOption<String> keystoreKey,
      Path keystore,
      char[] keystorePassword,
      char[] keyPassword,
      ConfigOption<String> truststoreKey,
      Path truststore,
      char[] truststorePassword) {
    this.keystoreKey = keystoreKey;
    this.keystore = keystore;
    this.keystorePassword = keystorePassword;
    this.keyPassword = keyPassword;
    this.truststoreKey = truststoreKey;
    this.truststore = truststore;
    this.truststorePassword = truststorePassword;
  }

  /** The {@code security.ssl.rest.*} stores; the keystore may be absent on a client. */
  public static TlsStores rest(Configuration config) {
    return of(
        config,
        SecurityOptions.SSL_REST_KEYSTORE,
        SecurityOptions.SSL_REST_KEYSTORE_PASSWORD,
        SecurityOptions.SSL_REST_KEY_PASSWORD,
        SecurityOptions.SSL_REST_TRUSTSTORE,
        SecurityOptions.SSL_REST_TRUSTSTORE_PASSWORD);
  }

  /** The {@code security.ssl.internal.*} stores. */
  public static TlsStores internal(Configuration config) {
    return of(
        config,
        SecurityOptions.SSL_INTERNAL_KEYSTORE,
        SecurityOptions.SSL_INTERNAL_KEYSTORE_PASSWORD,
        SecurityOptions.SSL_INTERNAL_KEY_PASSWORD,
        SecurityOptions.SSL_INTERNAL_TRUSTSTORE,
        SecurityOptions.SSL_INTERNAL_TRUSTSTORE_PASSWORD);
  }

  private static TlsStores of(
      Configuration config,
      ConfigOption<String> keystore,
      ConfigOption<String> keystorePassword,
      ConfigOption<String> keyPassword,
      ConfigOption<String> truststore,
      ConfigOption<String> truststorePassword) {
    char[] storePassword = password(config, keystorePassword);
    char[] ownKeyPassword =
        config.getOptional(keyPassword).map(String::toCharArray).orElse(storePassword);
    return new TlsStores(
        keystore,
        path(config, keystore),
        storePassword,
        ownKeyPassword,
        truststore,
        path(config, truststore),
        password(config, truststorePassword));
  }

  /** Whether a keystore is configured (a REST client without mutual TLS needs none). */
  public boolean hasKeystore() {
    return keystore != null;
  }

  /** The key managers of the keystore: this side's certificate. */
  public KeyManager[] keyManagers() {
    KeyStore store = load(keystoreKey, keystore, keystorePassword);
    try {
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, keyPassword);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalConfigurationException(
          keystoreKey.key() + ": cannot use the key in " + keystore + ": " + e.getMessage(), e);
    }
  }

  /** The trust managers of the truststore: the certificates this side accepts. */
  public TrustManager[] trustManagers() {
    KeyStore store = load(truststoreKey, truststore, truststorePassword);
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalConfigurationException(
          truststoreKey.key() + ": cannot use " + truststore + ": " + e.getMessage(), e);
    }
  }

  /** A TLS context with the truststore and, when configured, the keystore. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(hasKeystore() ? keyManagers() : null, trustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** Reads both stores now, so a wrong path or password stops start-up, not the first call. */
  public TlsStores check(boolean keystoreNeeded) {
    if (keystoreNeeded || hasKeystore()) {
      keyManagers();
    }
    trustManagers();
    return this;
  }

  private static KeyStore load(ConfigOption<String> key, Path file, char[] password) {
    if (file == null) {
      throw new IllegalConfigurationException(key.key() + " is not set");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalConfigurationException(key.key() + ": no such file " + file);
    }
    try {
      // detects JKS and PKCS12 by content
      return KeyStore.getInstance(file.toFile(), password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalConfigurationException(
          key.key()
              + ": cannot read "
              + file
              + ": "
              + (wrongPassword(e) ? "wrong password, or not a JKS or PKCS12 file" : reason(e)),
          e);
    }
  }

  // the JDK words a wrong password as "keystore password was incorrect" or a failed integrity
  // check, with an UnrecoverableKeyException below either
  private static boolean wrongPassword(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnrecoverableKeyException
          || (t.getMessage() != null && t.getMessage().contains("password was incorrect"))) {
        return true;
      }
    }
    return false;
  }

  private static Path path(Configuration config, ConfigOption<String> key) {
    return config
        .getOptional(key)
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(s -> Path.of(s).toAbsolutePath())
        .orElse(null);
  }

  private static char[] password(Configuration config, ConfigOption<String> key) {
    return config.getOptional(key).map(String::toCharArray).orElse(null);
  }

  // the first message says it best; causes speak of padding and MACs
  private static String reason(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }
}
