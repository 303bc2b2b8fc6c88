package io.baton.drill;

import io.baton.common.config.Configuration;
import io.baton.common.config.ConfigurationLoader;
import io.baton.common.config.HeartbeatOptions;
import io.baton.common.config.HighAvailabilityOptions;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.KnownOptions;
import io.baton.common.security.RestClientSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The cluster {@code conf/} describes: its JobManagers (conf/masters), how many TaskManagers
 * (conf/workers), whether it runs on the embedded ZooKeeper server, and the timeouts that decide
 * how long a fault takes to be noticed.
 *
 * @param masters the {@code host:rest-port} lines of conf/masters
 * @param workers how many lines conf/workers has
 * @param restSecurity https and the REST token, as the JobManagers' keys ask
 */
record ClusterLayout(
    List<String> masters,
    int workers,
    boolean highAvailability,
    boolean embeddedZooKeeper,
    Duration sessionTimeout,
    Duration heartbeatTimeout,
    RestClientSecurity restSecurity) {

  static ClusterLayout read(Path confDir) {
    Configuration conf;
    RestClientSecurity restSecurity;
    try {
      conf = new ConfigurationLoader(KnownOptions.baton()).load(confDir, Map.of());
      restSecurity = RestClientSecurity.fromConfiguration(conf);
    } catch (IllegalConfigurationException e) {
      throw new DrillException(e.getMessage(), e);
    }
    List<String> masters = hostLines(confDir.resolve("masters"));
    if (masters.isEmpty()) {
      throw new DrillException(
          confDir.resolve("masters") + " lists no JobManager (expected lines like localhost:8081)");
    }
    for (String master : masters) {
      int colon = master.lastIndexOf(':');
      if (colon <= 0 || !master.substring(colon + 1).matches("[0-9]+")) {
        throw new DrillException(
            "bad line '"
                + master
                + "' in "
                + confDir.resolve("masters")
                + ": expected host:rest-port");
      }
    }
    boolean ha = conf.get(HighAvailabilityOptions.TYPE) == HighAvailabilityOptions.Type.ZOOKEEPER;
    return new ClusterLayout(
        masters,
        hostLines(confDir.resolve("workers")).size(),
        ha,
        ha && conf.get(HighAvailabilityOptions.QUORUM).trim().equals("embedded"),
        conf.get(HighAvailabilityOptions.SESSION_TIMEOUT),
        conf.get(HeartbeatOptions.TIMEOUT),
        restSecurity);
  }

  /** The non-blank lines of a hosts file without comments, as bin/config.sh reads them. */
  static List<String> hostLines(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DrillException(file + " does not exist");
    }
    try {
      return Files.readAllLines(file).stream()
          .map(l -> l.replaceFirst("#.*", "").trim())
          .filter(l -> !l.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new DrillException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
