package io.baton.cli;

import io.baton.cli.yarn.YarnDeploymentException;
import io.baton.cli.yarn.YarnSessionDeployer;
import io.baton.common.config.Configuration;
import io.baton.common.config.ConfigurationLoader;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.KnownOptions;
import io.baton.common.config.RestOptions;
import io.baton.common.config.YarnOptions;
import io.baton.common.security.RestClientSecurity;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the JobManager's REST API is: every command takes these options. Without --jobmanager it is
 * rest.address:rest.port of the configuration, or in HA mode (high-availability.type: zookeeper)
 * the REST URL the leader publishes in ZooKeeper; with {@code -t yarn-session} the tracking URL of
 * the YARN session {@code -Dyarn.application.id} names, or with ZooKeeper HA the leader published
 * under {@code high-availability.cluster-id} (default there: the application id).
 */
final class ClusterOptions {
  static final String CONF_DIR_ENV = "BATON_CONF_DIR";
  static final String YARN_SESSION = "yarn-session";

  @Option(
      names = "--jobmanager",
      paramLabel = "HOST:PORT",
      description =
          "REST address of the JobManager (default: the leader found through ZooKeeper in HA mode,"
              + " else rest.address:rest.port of --conf)")
  String jobManager;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "TARGET",
      description =
          "yarn-session: the YARN session named by -Dyarn.application.id, found through YARN's"
              + " application report ($HADOOP_CONF_DIR names the cluster)")
  String target;

  @Option(names = "-D", paramLabel = "key=value", description = "Overrides a configuration key.")
  Map<String, String> dynamicProperties = new LinkedHashMap<>();

  @Option(
      names = "--conf",
      paramLabel = "DIR",
      description = "Directory with baton-conf.yaml (default: $BATON_CONF_DIR, else ./conf)")
  Path confDir;

  /**
   * A client for the JobManager named by --jobmanager, else by the configuration: the published
   * leader in HA mode, rest.address:rest.port otherwise.
   */
  RestClient client(Map<String, String> env) {
    String named = jobManager == null ? null : checkedAddress(jobManager.trim());
    Configuration conf = configuration(env);
    RestClientSecurity security;
    try {
      security = RestClientSecurity.fromConfiguration(conf);
    } catch (IllegalConfigurationException e) {
      throw new CliException(e.getMessage(), e);
    }
    if (named != null) {
      return new RestClient(security, named);
    }
    if (target != null) {
      return new RestClient(security, yarnSessionRestUrl(conf));
    }
    if (conf.get(HighAvailabilityOptions.TYPE) == HighAvailabilityOptions.Type.ZOOKEEPER) {
      return new RestClient(security, ZooKeeperLeaderLookup.leaderRestUrl(conf));
    }
    return new RestClient(
        security, conf.get(RestOptions.ADDRESS) + ":" + conf.get(RestOptions.PORT));
  }

  private URI yarnSessionRestUrl(Configuration conf) {
    if (!target.equals(YARN_SESSION)) {
      throw new CliException("-t expects " + YARN_SESSION + ", got '" + target + "'");
    }
    String appId = conf.getOptional(YarnOptions.APPLICATION_ID).orElse("");
    if (conf.get(HighAvailabilityOptions.TYPE) == HighAvailabilityOptions.Type.ZOOKEEPER
        && (!appId.isBlank() || conf.contains(HighAvailabilityOptions.CLUSTER_ID))) {
      // the leader as ZooKeeper publishes it, as in standalone HA: on YARN the cluster-id is the
      // application id unless set, and the lookup follows the leader from attempt to attempt
      Configuration lookup = conf.copy();
      if (!lookup.contains(HighAvailabilityOptions.CLUSTER_ID)) {
        lookup.set(HighAvailabilityOptions.CLUSTER_ID, appId);
      }
      return ZooKeeperLeaderLookup.leaderRestUrl(lookup);
    }
    if (appId.isBlank()) {
      throw new CliException(
          "-t " + YARN_SESSION + " needs -D" + YarnOptions.APPLICATION_ID.key() + "=<appId>");
    }
    try {
      return YarnSessionDeployer.sessionRestUrl(appId);
    } catch (YarnDeploymentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  private Configuration configuration(Map<String, String> env) {
    Path dir = confDir;
    if (dir == null && env.get(CONF_DIR_ENV) != null && !env.get(CONF_DIR_ENV).isBlank()) {
      dir = Path.of(env.get(CONF_DIR_ENV));
    }
    if (dir == null) {
      Path local = Path.of("conf");
      // without a configuration the defaults name the REST API (localhost:8081)
      dir = Files.isDirectory(local) ? local : null;
    }
    try {
      return new ConfigurationLoader(KnownOptions.baton()).load(dir, dynamicProperties);
    } catch (IllegalConfigurationException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  private static String checkedAddress(String address) {
    int colon = address.lastIndexOf(':');
    if (colon > 0 && colon < address.length() - 1) {
      try {
        int port = Integer.parseInt(address.substring(colon + 1));
        if (port > 0 && port < 65536) {
          return address;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new CliException("--jobmanager expects HOST:PORT, got '" + address + "'");
  }
}
