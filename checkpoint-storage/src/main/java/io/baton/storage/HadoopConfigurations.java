package io.baton.storage;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.StorageOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the Hadoop client configuration for {@code hdfs://} stores: core-site.xml and
 * hdfs-site.xml from {@code fs.hdfs.hadoopconf} or {@code $HADOOP_CONF_DIR}, plus connection
 * settings that make an unreachable namenode fail in seconds rather than minutes.
 */
final class HadoopConfigurations {
  /**
   * Hadoop's defaults retry a refused connection 10 times a second apart and a connect timeout 45
   * times; Baton checks its storage at start-up and fails a checkpoint instead, so it gives up
   * sooner. Settings in the user's own site files win.
   */
  private static final Map<String, String> FAIL_FAST =
      Map.of(
          "ipc.client.connect.max.retries", "1",
          "ipc.client.connect.retry.interval", "500",
          "ipc.client.connect.timeout", "5000",
          "ipc.client.connect.max.retries.on.timeouts", "1",
          "dfs.client.retry.policy.enabled", "false");

  private HadoopConfigurations() {}

  static org.apache.hadoop.conf.Configuration load(
      Configuration configuration, Map<String, String> environment) {
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    confDir(configuration, environment)
        .ifPresent(
            dir -> {
              for (String file : new String[] {"core-site.xml", "hdfs-site.xml"}) {
                Path site = dir.resolve(file);
                if (Files.isRegularFile(site)) {
                  hadoop.addResource(new org.apache.hadoop.fs.Path(site.toUri()));
                }
              }
            });
    FAIL_FAST.forEach(
        (key, value) -> {
          if (!setByUser(hadoop, key)) {
            hadoop.set(key, value, "Baton fail-fast default");
          }
        });
    return hadoop;
  }

  private static Optional<Path> confDir(
      Configuration configuration, Map<String, String> environment) {
    String key = StorageOptions.HADOOP_CONF_DIR.key();
    String dir = configuration.getOptional(StorageOptions.HADOOP_CONF_DIR).orElse(null);
    if (dir == null || dir.isBlank()) {
      key = "$HADOOP_CONF_DIR";
      dir = environment.get("HADOOP_CONF_DIR");
    }
    if (dir == null || dir.isBlank()) {
      return Optional.empty();
    }
    Path path = Path.of(dir);
    if (!Files.isDirectory(path)) {
      throw new IllegalConfigurationException(
          key + " " + dir + " is not a directory (expected core-site.xml and hdfs-site.xml there)");
    }
    return Optional.of(path);
  }

  private static boolean setByUser(org.apache.hadoop.conf.Configuration hadoop, String key) {
    String[] sources = hadoop.getPropertySources(key);
    if (sources == null) {
      return false;
    }
    for (String source : sources) {
      if (!source.endsWith("-default.xml")) {
        return true;
      }
    }
    return false;
  }
}
