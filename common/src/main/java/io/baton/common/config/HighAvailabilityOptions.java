package io.baton.common.config;

import static io.baton.common.config.ConfigOption.booleanOption;
import static io.baton.common.config.ConfigOption.durationOption;
import static io.baton.common.config.ConfigOption.enumOption;
import static io.baton.common.config.ConfigOption.intOption;
import static io.baton.common.config.ConfigOption.stringOption;

import java.time.Duration;

/** High availability through ZooKeeper. */
public final class HighAvailabilityOptions {
  private HighAvailabilityOptions() {}

  /** Whether JobManagers elect a leader through ZooKeeper. */
  public enum Type {
    NONE,
    ZOOKEEPER
  }

  /** Who may touch Baton's znodes. */
  public enum Acl {
    OPEN,
    CREATOR
  }

  public static final ConfigOption<Type> TYPE =
      enumOption(
          "high-availability.type",
          Type.class,
          Type.NONE,
          "none: one JobManager, no recovery after it dies; zookeeper: leader election and recovery.");

  public static final ConfigOption<String> QUORUM =
      stringOption(
          "high-availability.zookeeper.quorum",
          "embedded",
          "ZooKeeper connect string (host:port,...), or 'embedded' for the server bin/zookeeper.sh starts.");

  public static final ConfigOption<String> ROOT =
      stringOption(
          "high-availability.zookeeper.path.root",
          "/baton",
          "Root znode of all Baton clusters on the ensemble.");

  public static final ConfigOption<String> CLUSTER_ID =
      stringOption(
          "high-availability.cluster-id",
          "default",
          "Name of this cluster under the root znode; clusters with different ids never see each other.");

  public static final ConfigOption<String> STORAGE_DIR =
      stringOption(
          "high-availability.storageDir",
          null,
          "Where job graphs, jars and checkpoint metadata live (file://, hdfs:// or s3:// URI); ZooKeeper holds pointers into it.");

  public static final ConfigOption<Duration> SESSION_TIMEOUT =
      durationOption(
              "high-availability.zookeeper.client.session-timeout",
              Duration.ofSeconds(60),
              "ZooKeeper session timeout: how long a dead leader keeps its latch.")
          .positive();

  public static final ConfigOption<Duration> CONNECTION_TIMEOUT =
      durationOption(
              "high-availability.zookeeper.client.connection-timeout",
              Duration.ofSeconds(15),
              "How long to wait for a connection to ZooKeeper.")
          .positive();

  public static final ConfigOption<Duration> RETRY_WAIT =
      durationOption(
              "high-availability.zookeeper.client.retry-wait",
              Duration.ofSeconds(1),
              "Wait before retrying the connection at start-up, and the first back-off of a ZooKeeper request retried after a lost connection (doubling each time).")
          .positive();

  public static final ConfigOption<Integer> MAX_RETRY_ATTEMPTS =
      intOption(
              "high-availability.zookeeper.client.max-retry-attempts",
              3,
              "Retries of the connection at start-up, and of a ZooKeeper request after a lost connection, before giving up.")
          .atLeast(0);

  public static final ConfigOption<Boolean> TOLERATE_SUSPENDED =
      booleanOption(
          "high-availability.zookeeper.client.tolerate-suspended-connections",
          false,
          "Keep leadership while the connection is SUSPENDED (session still alive); false gives it up at once.");

  public static final ConfigOption<Boolean> LEADER_PROBE_ENABLED =
      booleanOption(
          "high-availability.zookeeper.leader-probe.enabled",
          true,
          "Standbys probe the leader's RPC endpoint and, on proof that its process is gone (connection"
              + " refused, or another process answering there), delete its latch node instead of"
              + " waiting for its ZooKeeper session to expire; false leaves it to the session timeout.");

  public static final ConfigOption<Duration> LEADER_PROBE_INTERVAL =
      durationOption(
              "high-availability.zookeeper.leader-probe.interval",
              Duration.ofMillis(200),
              "Time between a standby's probes of the leader, and the deadline of each probe: short"
                  + " enough to find a dead leader in about a second, long enough that a busy leader"
                  + " answers.")
          .between(Duration.ofMillis(50), Duration.ofSeconds(10));

  public static final ConfigOption<Integer> LEADER_PROBE_COUNT =
      intOption(
              "high-availability.zookeeper.leader-probe.count",
              3,
              "Consecutive probes that must each prove the leader's process gone before a standby"
                  + " deletes its latch node; any probe without proof (a timeout, an unreachable host)"
                  + " starts the count again.")
          .between(1, 100);

  public static final ConfigOption<Acl> ACL =
      enumOption(
          "high-availability.zookeeper.client.acl",
          Acl.class,
          Acl.OPEN,
          "open: anyone may read and write Baton's znodes; creator: only the authenticated creator"
              + " (needs high-availability.zookeeper.client.digest or"
              + " high-availability.zookeeper.client.sasl.jaas-file).");

  public static final ConfigOption<String> DIGEST =
      stringOption(
          "high-availability.zookeeper.client.digest",
          null,
          "'user:password' Baton authenticates with to ZooKeeper (digest scheme); with acl: creator,"
              + " only these credentials can touch Baton's znodes.");

  public static final ConfigOption<String> SASL_JAAS_FILE =
      stringOption(
          "high-availability.zookeeper.client.sasl.jaas-file",
          null,
          "JAAS file for SASL (Kerberos or DIGEST-MD5) authentication to ZooKeeper; sets"
              + " java.security.auth.login.config for the process and enables zookeeper.sasl.client.");

  public static final ConfigOption<String> SASL_LOGIN_CONTEXT =
      stringOption(
          "high-availability.zookeeper.client.sasl.login-context-name",
          "Client",
          "Section of the JAAS file the ZooKeeper client logs in with.");

  public static final ConfigOption<Boolean> SASL_FIPS_MODE =
      booleanOption(
          "high-availability.zookeeper.client.sasl.fips-mode",
          false,
          "ZooKeeper's FIPS mode for the client: true refuses DIGEST-MD5, so SASL then needs Kerberos (GSSAPI).");

  public static final ConfigOption<String> ZOOKEEPER_PORT =
      stringOption(
              "high-availability.zookeeper.embedded.port",
              "2181",
              "Client port of the embedded ZooKeeper server bin/zookeeper.sh starts.")
          .checkedBy(OptionRange.of(HighAvailabilityOptions::isPort, "0..65535"));

  private static boolean isPort(String value) {
    try {
      int port = Integer.parseInt(value.trim());
      return port >= 0 && port <= 65535;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
