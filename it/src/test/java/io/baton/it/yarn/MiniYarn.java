package io.baton.it.yarn;

import io.baton.storage.MiniHdfs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A YARN cluster (one ResourceManager, {@code nodeManagers} NodeManagers) and an HDFS cluster
 * started inside the test's JVM. The NodeManagers launch real container processes. Its Hadoop
 * configuration directory ({@code core-site.xml}, {@code hdfs-site.xml}, {@code yarn-site.xml}) is
 * what a client or a container puts first on its class path to find both clusters, as with a real
 * cluster's {@code HADOOP_CONF_DIR}.
 */
public final class MiniYarn implements AutoCloseable {
  private final MiniHdfs hdfs;
  private final MiniYARNCluster yarn;
  private final Path confDir;

  private MiniYarn(MiniHdfs hdfs, MiniYARNCluster yarn, Path confDir) {
    this.hdfs = hdfs;
    this.yarn = yarn;
    this.confDir = confDir;
  }

  /** Starts both clusters, keeping their data and the conf directory under {@code baseDir}. */
  public static MiniYarn start(Path baseDir, int nodeManagers) throws IOException {
    MiniHdfs hdfs = MiniHdfs.start(baseDir.resolve("hdfs"));
    MiniYARNCluster yarn = null;
    try {
      YarnConfiguration conf = new YarnConfiguration();
      conf.set("fs.defaultFS", hdfs.namenode().toString());
      // small containers of test JVMs; no memory or disk policing on a shared build machine
      conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 64);
      conf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
      conf.setInt(YarnConfiguration.NM_VCORES, 8);
      conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
      conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
      conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
      // the capacity scheduler with one queue, as a real cluster's capacity-scheduler.xml sets it
      conf.set("yarn.scheduler.capacity.root.queues", "default");
      conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
      // NodeManagers heartbeat five times a second instead of once: the capacity scheduler grants
      // containers, and learns of ended ones (a killed ApplicationMaster's, which starts the next
      // attempt), only on a heartbeat, and a deployment waits for several of them in a row
      conf.setLong(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 200);
      // A stopping NodeManager waits for the log deletions it has scheduled (10 s at most) and for
      // its applications to finish (sleep-before-SIGKILL + process-kill-wait + 1 s): with YARN's
      // defaults each of the two spent 10 to 17 s of every test class's teardown waiting. Container
      // logs go 1 s after their application ends, unless -Dbaton.it.yarn.keep-logs=true keeps them
      // (3 hours, YARN's default) for a look after a failure.
      conf.setLong(
          YarnConfiguration.NM_LOG_RETAIN_SECONDS,
          Boolean.getBoolean("baton.it.yarn.keep-logs") ? 10_800 : 1);
      conf.setLong(YarnConfiguration.NM_PROCESS_KILL_WAIT_MS, 1_000);
      conf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_FIXED_PORTS, false);
      conf.set(YarnConfiguration.YARN_APPLICATION_CLASSPATH, "");
      // what a real NodeManager's environment gives every container: $JAVA_HOME
      conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, "JAVA_HOME=" + System.getProperty("java.home"));
      System.setProperty("hadoop.log.dir", baseDir.resolve("yarn-logs").toString());
      yarn = new MiniYARNCluster("baton-it", nodeManagers, 1, 1);
      yarn.init(conf);
      yarn.start();
      if (!yarn.waitForNodeManagersToConnect(60_000)) {
        throw new IllegalStateException(
            "the NodeManagers did not connect to the ResourceManager within 60 s");
      }
      Path confDir = hdfs.confDir();
      writeSite(yarn.getConfig(), confDir.resolve("yarn-site.xml"));
      return new MiniYarn(hdfs, yarn, confDir);
    } catch (IOException
        | RuntimeException
        | InterruptedException
        | org.apache.hadoop.yarn.exceptions.YarnException e) {
      if (yarn != null) {
        yarn.stop();
      }
      hdfs.stop();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }

  private static void writeSite(Configuration conf, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      conf.writeXml(out);
    }
  }

  /** The clusters' client configuration: the ResourceManager's addresses and the default FS. */
  public YarnConfiguration configuration() {
    YarnConfiguration conf = new YarnConfiguration(yarn.getConfig());
    conf.set("fs.defaultFS", hdfs.namenode().toString());
    return conf;
  }

  /** The directory with core-site.xml, hdfs-site.xml and yarn-site.xml. */
  public Path confDir() {
    return confDir;
  }

  public MiniHdfs hdfs() {
    return hdfs;
  }

  @Override
  public void close() {
    try {
      yarn.stop();
    } finally {
      hdfs.stop();
    }
  }
}
