package io.baton.common.config;

import static io.baton.common.config.ConfigOption.booleanOption;
import static io.baton.common.config.ConfigOption.enumOption;
import static io.baton.common.config.ConfigOption.stringOption;

/**
 * Who may talk to a Baton cluster: TLS on the REST API and on the internal gRPC channels (Flink's
 * {@code security.ssl.*} keys), and a bearer token for the REST API (which Flink lacks).
 */
public final class SecurityOptions {
  private SecurityOptions() {}

  /** How REST clients prove who they are. */
  public enum RestAuthType {
    NONE,
    TOKEN
  }

  public static final ConfigOption<RestAuthType> REST_AUTH_TYPE =
      enumOption(
          "rest.auth.type",
          RestAuthType.class,
          RestAuthType.NONE,
          "none: anyone reaching the REST API may use it; token: every request but GET /ha needs"
              + " 'Authorization: Bearer <token>' with the secret of rest.auth.token-file.");

  public static final ConfigOption<String> REST_AUTH_TOKEN_FILE =
      stringOption(
          "rest.auth.token-file",
          null,
          "File holding the REST token (one line; bin/baton-certs.sh writes one with mode 600)."
              + " Read by JobManagers, bin/baton and the drill.");

  public static final ConfigOption<Boolean> SSL_REST_ENABLED =
      booleanOption(
          "security.ssl.rest.enabled",
          false,
          "Serve the REST API over https; clients verify it against security.ssl.rest.truststore.");

  public static final ConfigOption<String> SSL_REST_KEYSTORE =
      stringOption(
          "security.ssl.rest.keystore",
          null,
          "JKS or PKCS12 keystore with the REST server's key and certificate (also the client's"
              + " under mutual TLS).");

  public static final ConfigOption<String> SSL_REST_KEYSTORE_PASSWORD =
      stringOption("security.ssl.rest.keystore-password", null, "Password of the REST keystore.");

  public static final ConfigOption<String> SSL_REST_KEY_PASSWORD =
      stringOption(
          "security.ssl.rest.key-password",
          null,
          "Password of the key in the REST keystore; unset: the keystore password.");

  public static final ConfigOption<String> SSL_REST_TRUSTSTORE =
      stringOption(
          "security.ssl.rest.truststore",
          null,
          "JKS or PKCS12 truststore with the CA REST clients (and, under mutual TLS, the server)"
              + " trust.");

  public static final ConfigOption<String> SSL_REST_TRUSTSTORE_PASSWORD =
      stringOption(
          "security.ssl.rest.truststore-password", null, "Password of the REST truststore.");

  public static final ConfigOption<Boolean> SSL_REST_AUTHENTICATION_ENABLED =
      booleanOption(
          "security.ssl.rest.authentication-enabled",
          false,
          "Mutual TLS on REST: clients must present a certificate the REST truststore trusts.");

  public static final ConfigOption<Boolean> SSL_INTERNAL_ENABLED =
      booleanOption(
          "security.ssl.internal.enabled",
          false,
          "Mutual TLS on every gRPC channel (JobManager, TaskManagers, data exchange): only holders"
              + " of the cluster's certificate may connect.");

  public static final ConfigOption<String> SSL_INTERNAL_KEYSTORE =
      stringOption(
          "security.ssl.internal.keystore",
          null,
          "JKS or PKCS12 keystore with the cluster's key and certificate.");

  public static final ConfigOption<String> SSL_INTERNAL_KEYSTORE_PASSWORD =
      stringOption(
          "security.ssl.internal.keystore-password", null, "Password of the internal keystore.");

  public static final ConfigOption<String> SSL_INTERNAL_KEY_PASSWORD =
      stringOption(
          "security.ssl.internal.key-password",
          null,
          "Password of the key in the internal keystore; unset: the keystore password.");

  public static final ConfigOption<String> SSL_INTERNAL_TRUSTSTORE =
      stringOption(
          "security.ssl.internal.truststore",
          null,
          "JKS or PKCS12 truststore with the CA that signed the cluster's certificate.");

  public static final ConfigOption<String> SSL_INTERNAL_TRUSTSTORE_PASSWORD =
      stringOption(
          "security.ssl.internal.truststore-password",
          null,
          "Password of the internal truststore.");
}
