package io.baton.it;

import io.baton.common.config.Configuration;
import io.baton.storage.FileStore;
import io.baton.storage.FileStores;
import io.baton.storage.MiniHdfs;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ledger with checkpoints every 200 ms and deliberate failures, with its checkpoints AND its output
 * on HDFS (an in-process MiniDFSCluster) and on S3 (S3Proxy, reached by the AWS SDK client Baton
 * uses in production): every event exactly once.
 */
class StorageBackendsTest {
  private static final long EVENTS = 100_000;
  private static final int KEYS = 11;

  @TempDir static Path workDir;
  private static MiniHdfs hdfs;
  private static S3ProxyProcess s3;

  @BeforeAll
  static void startStorage() throws Exception {
    hdfs = MiniHdfs.start(workDir.resolve("hdfs"));
    s3 = S3ProxyProcess.start(workDir.resolve("logs"), "baton");
  }

  @AfterAll
  static void stopStorage() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (hdfs != null) {
      hdfs.stop();
    }
  }

  @Test
  void exactlyOnceOnHdfs() throws Exception {
    runLedger("hdfs", hdfs.namenode() + "/baton", hdfs.configuration());
  }

  @Test
  void exactlyOnceOnS3() throws Exception {
    runLedger("s3", "s3://baton/ledger", s3.configuration());
  }

  private static void runLedger(String name, String root, Configuration storage) throws Exception {
    Path clusterDir = workDir.resolve(name);
    try (LocalCluster cluster =
        LocalCluster.start(
            clusterDir,
            2,
            2,
            config -> {
              for (Map.Entry<String, String> e : storage.toMap().entrySet()) {
                config.setString(e.getKey(), e.getValue());
              }
              return config
                  .setString("state.checkpoints.dir", root + "/checkpoints")
                  .setString("restart-strategy.fixed-delay.attempts", "10");
            })) {
      String output = root + "/output";
      String jobId =
          cluster
              .rest()
              .submit(
                  TestJars.examplesJar(),
                  4,
                  "ledger",
                  "--events",
                  Long.toString(EVENTS),
                  "--keys",
                  Integer.toString(KEYS),
                  "--rate",
                  "25000",
                  "--checkpoint-interval",
                  "200",
                  "--failures",
                  "2",
                  "--seed",
                  "11",
                  "--output",
                  output);
      Awaits.jobState(cluster.rest(), jobId, "FINISHED", Duration.ofMinutes(3));

      Path local = copyVisibleFiles(URI.create(output), storage, clusterDir.resolve("output"));
      LedgerVerifier.assertExactlyOnce(local, EVENTS, KEYS);
    }
  }

  /** The committed part files of an output directory on HDFS or S3, copied to a local one. */
  private static Path copyVisibleFiles(URI directory, Configuration storage, Path target)
      throws Exception {
    Files.createDirectories(target);
    try (FileStores stores = new FileStores(storage)) {
      FileStore store = stores.forUri(directory);
      for (URI file : store.list(directory)) {
        String path = file.getPath();
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        if (path.endsWith("/") || fileName.startsWith(".")) {
          continue;
        }
        try (InputStream in = store.open(file)) {
          Files.copy(in, target.resolve(fileName));
        }
      }
    }
    return target;
  }
}
