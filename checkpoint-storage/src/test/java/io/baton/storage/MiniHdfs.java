package io.baton.storage;

import io.baton.common.config.Configuration;
import io.baton.common.config.StorageOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * An in-process HDFS cluster (one namenode, one datanode) for tests, with a Hadoop conf directory
 * as an operator would ship it: core-site.xml naming the namenode and hdfs-site.xml with client
 * settings. Starting takes several seconds: start one per test class.
 */
public final class MiniHdfs {
  private final MiniDFSCluster cluster;
  private final URI namenode;
  private final Path confDir;

  private MiniHdfs(MiniDFSCluster cluster, Path confDir) {
    this.cluster = cluster;
    this.namenode = cluster.getURI();
    this.confDir = confDir;
  }

  /** Starts a cluster keeping its data and its conf directory under {@code baseDir}. */
  public static MiniHdfs start(Path baseDir) throws IOException {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.resolve("dfs").toString());
    // a test cluster: no fsync of the edit log per operation, few handler threads, no scanners
    conf.setBoolean("dfs.namenode.edits.noeditlogchannelflush", true);
    conf.setInt("dfs.namenode.handler.count", 4);
    conf.setInt("dfs.namenode.service.handler.count", 2);
    conf.setInt("dfs.datanode.handler.count", 2);
    conf.setInt("dfs.datanode.scan.period.hours", -1);
    conf.setBoolean("dfs.webhdfs.enabled", false);
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
    try {
      cluster.waitActive();
      Path confDir = Files.createDirectories(baseDir.resolve("hadoop-conf"));
      Files.writeString(
          confDir.resolve("core-site.xml"),
          site(Map.of("fs.defaultFS", cluster.getURI().toString())));
      Files.writeString(
          confDir.resolve("hdfs-site.xml"),
          site(
              Map.of(
                  // 1 MiB blocks, so a few MiB already span several blocks
                  "dfs.blocksize", "1048576",
                  "dfs.replication", "1",
                  // the client polls the namenode to complete a file; the default first wait
                  // (400 ms) dominates a small cluster's write time
                  "dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "20")));
      return new MiniHdfs(cluster, confDir);
    } catch (IOException | RuntimeException e) {
      cluster.shutdown();
      throw e;
    }
  }

  /** {@code hdfs://localhost:<port>}. */
  public URI namenode() {
    return namenode;
  }

  /** The directory holding core-site.xml and hdfs-site.xml. */
  public Path confDir() {
    return confDir;
  }

  /** Baton's configuration for reaching this cluster ({@code fs.hdfs.hadoopconf}). */
  public Configuration configuration() {
    return new Configuration().set(StorageOptions.HADOOP_CONF_DIR, confDir.toString());
  }

  public void stop() {
    cluster.shutdown();
  }

  private static String site(Map<String, String> properties) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    properties.forEach(
        (name, value) ->
            xml.append("  <property><name>")
                .append(name)
                .append("</name><value>")
                .append(value)
                .append("</value></property>\n"));
    return xml.append("</configuration>\n").toString();
  }
}
