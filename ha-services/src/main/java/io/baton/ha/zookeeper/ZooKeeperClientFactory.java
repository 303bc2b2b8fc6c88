package io.baton.ha.zookeeper;

import io.baton.common.config.Configuration;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.IllegalConfigurationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the Curator client of a Baton process from its {@code high-availability.*} keys.
 *
 * <p>Authentication and ACLs: {@code high-availability.zookeeper.client.digest: user:password}
 * authenticates with the digest scheme; {@code high-availability.zookeeper.client.sasl.jaas-file}
 * authenticates with SASL (Kerberos or DIGEST-MD5) using the JAAS file's section {@code
 * high-availability.zookeeper.client.sasl.login-context-name} (default {@code Client}; the JAAS
 * file is a JVM-wide setting, so it also sets {@code java.security.auth.login.config}). With {@code
 * high-availability.zookeeper.client.acl: creator} every znode Baton creates gets {@link
 * ZooDefs.Ids#CREATOR_ALL_ACL}: only a client with the same credentials can read or change it, so
 * other tenants of a shared ensemble are kept out. {@code open} (the default) lets anyone.
 */
public final class ZooKeeperClientFactory {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperClientFactory.class);
  private static final String FIPS_MODE_PROPERTY = "zookeeper.fips-mode";

  private ZooKeeperClientFactory() {}

  /**
   * A started client connected to the configured quorum.
   *
   * @throws IllegalStateException with one line naming the quorum when it cannot be reached within
   *     {@code high-availability.zookeeper.client.connection-timeout}, tried again {@code
   *     …max-retry-attempts} times {@code …retry-wait} apart
   */
  public static CuratorFramework start(Configuration config) throws InterruptedException {
    return start(config, (attempt, attempts) -> {});
  }

  /** Told of each connection attempt at start-up that timed out, before the next one. */
  @FunctionalInterface
  interface FailedAttempts {
    void failed(int attempt, int attempts);
  }

  static CuratorFramework start(Configuration config, FailedAttempts failedAttempts)
      throws InterruptedException {
    String quorum = connectString(config);
    Duration connectionTimeout = config.get(HighAvailabilityOptions.CONNECTION_TIMEOUT);
    Duration retryWait = config.get(HighAvailabilityOptions.RETRY_WAIT);
    int retries = config.get(HighAvailabilityOptions.MAX_RETRY_ATTEMPTS);
    CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder();
    configureSecurity(config, builder);
    CuratorFramework client =
        builder
            .connectString(quorum)
            .sessionTimeoutMs((int) config.get(HighAvailabilityOptions.SESSION_TIMEOUT).toMillis())
            .connectionTimeoutMs((int) connectionTimeout.toMillis())
            // retries of single requests; the session timeout, not these, decides when leadership
            // goes
            .retryPolicy(new ExponentialBackoffRetry((int) retryWait.toMillis(), retries))
            .connectionStateErrorPolicy(
                config.get(HighAvailabilityOptions.TOLERATE_SUSPENDED)
                    ? new SessionConnectionStateErrorPolicy()
                    : new StandardConnectionStateErrorPolicy())
            .build();
    client.start();
    int attempts = retries + 1;
    for (int attempt = 1; ; attempt++) {
      if (client.blockUntilConnected((int) connectionTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        break;
      }
      if (attempt == attempts) {
        client.close();
        throw new IllegalStateException(
            "Cannot reach ZooKeeper quorum '"
                + quorum
                + "' ("
                + HighAvailabilityOptions.QUORUM.key()
                + ") within "
                + connectionTimeout.toMillis()
                + " ms ("
                + HighAvailabilityOptions.CONNECTION_TIMEOUT.key()
                + ")"
                + (attempts == 1
                    ? ""
                    : ", "
                        + attempts
                        + " attempts "
                        + retryWait.toMillis()
                        + " ms apart ("
                        + HighAvailabilityOptions.MAX_RETRY_ATTEMPTS.key()
                        + ", "
                        + HighAvailabilityOptions.RETRY_WAIT.key()
                        + ")"));
      }
      LOG.warn(
          "Cannot reach ZooKeeper quorum '{}' within {} ms (attempt {} of {}); trying again in {}"
              + " ms",
          quorum,
          connectionTimeout.toMillis(),
          attempt,
          attempts,
          retryWait.toMillis());
      failedAttempts.failed(attempt, attempts);
      // the client keeps connecting meanwhile: a connection made during the wait ends it
      if (client.blockUntilConnected((int) retryWait.toMillis(), TimeUnit.MILLISECONDS)) {
        break;
      }
    }
    if (usesSasl(config)) {
      SaslLoginCheck.verify(client, config, quorum, connectionTimeout);
    }
    return client;
  }

  private static boolean usesSasl(Configuration config) {
    return config
        .getOptional(HighAvailabilityOptions.SASL_JAAS_FILE)
        .filter(f -> !f.isBlank())
        .isPresent();
  }

  /**
   * Sets up authentication and ACLs on {@code builder}.
   *
   * @throws IllegalConfigurationException with one line naming the key when the settings are
   *     unusable
   */
  static void configureSecurity(Configuration config, CuratorFrameworkFactory.Builder builder) {
    String digest = config.getOptional(HighAvailabilityOptions.DIGEST).orElse(null);
    String jaasFile = config.getOptional(HighAvailabilityOptions.SASL_JAAS_FILE).orElse(null);
    boolean hasDigest = digest != null && !digest.isBlank();
    boolean hasSasl = jaasFile != null && !jaasFile.isBlank();
    if (config.get(HighAvailabilityOptions.ACL) == HighAvailabilityOptions.Acl.CREATOR
        && !hasDigest
        && !hasSasl) {
      throw new IllegalConfigurationException(
          HighAvailabilityOptions.ACL.key()
              + ": creator needs credentials: set "
              + HighAvailabilityOptions.DIGEST.key()
              + " or "
              + HighAvailabilityOptions.SASL_JAAS_FILE.key());
    }
    if (hasDigest) {
      int colon = digest.indexOf(':');
      if (colon <= 0 || colon == digest.length() - 1) {
        throw new IllegalConfigurationException(
            HighAvailabilityOptions.DIGEST.key() + " must be 'user:password'");
      }
      builder.authorization("digest", digest.getBytes(StandardCharsets.UTF_8));
    }
    if (hasSasl) {
      Path jaas = Path.of(jaasFile.trim()).toAbsolutePath();
      if (!Files.isReadable(jaas)) {
        throw new IllegalConfigurationException(
            HighAvailabilityOptions.SASL_JAAS_FILE.key() + ": cannot read " + jaas);
      }
      // The JAAS configuration is read through a JVM-wide property; the rest is per client.
      System.setProperty("java.security.auth.login.config", jaas.toString());
      ZKClientConfig clientConfig = new ZKClientConfig();
      clientConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true");
      clientConfig.setProperty(
          ZKClientConfig.LOGIN_CONTEXT_NAME_KEY,
          config.get(HighAvailabilityOptions.SASL_LOGIN_CONTEXT));
      // ZooKeeper 3.9 turns FIPS mode on by default, which refuses DIGEST-MD5 without a word to
      // the caller; Baton leaves it to the operator.
      clientConfig.setProperty(
          FIPS_MODE_PROPERTY, Boolean.toString(config.get(HighAvailabilityOptions.SASL_FIPS_MODE)));
      builder.zkClientConfig(clientConfig);
    }
    if (config.get(HighAvailabilityOptions.ACL) == HighAvailabilityOptions.Acl.CREATOR) {
      builder.aclProvider(new CreatorOnlyAclProvider());
    }
  }

  /** Every node Baton creates is only for the credentials that created it. */
  private static final class CreatorOnlyAclProvider implements ACLProvider {
    @Override
    public List<ACL> getDefaultAcl() {
      return ZooDefs.Ids.CREATOR_ALL_ACL;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
      return ZooDefs.Ids.CREATOR_ALL_ACL;
    }
  }

  /** {@code <root>/<cluster-id>}, the znode all of one cluster's HA data lives under. */
  public static String clusterPath(Configuration config) {
    return ZKPaths.makePath(
        config.get(HighAvailabilityOptions.ROOT), config.get(HighAvailabilityOptions.CLUSTER_ID));
  }

  /** The configured quorum, with {@code embedded} meaning the local embedded server's port. */
  public static String connectString(Configuration config) {
    String quorum = config.get(HighAvailabilityOptions.QUORUM).trim();
    if (quorum.equals("embedded")) {
      return "127.0.0.1:" + config.get(HighAvailabilityOptions.ZOOKEEPER_PORT).trim();
    }
    return quorum;
  }
}
