package io.baton.it;

import io.baton.common.config.Configuration;
import io.baton.common.config.StorageOptions;
import io.baton.storage.S3ProxyServer;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * S3Proxy, a real S3 API server, in a JVM of its own: it runs on Jetty 12, the JobManager's REST
 * server on Jetty 11, so the two cannot share this test's class path. Started from the storage
 * module's test class path.
 */
final class S3ProxyProcess implements AutoCloseable {
  private final JvmProcess process;
  private final URI endpoint;

  private S3ProxyProcess(JvmProcess process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  static S3ProxyProcess start(Path logDir, String... buckets) throws Exception {
    Path storage = Path.of("..", "checkpoint-storage", "target").toAbsolutePath().normalize();
    Path classpathFile = storage.resolve("test-classpath.txt");
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          classpathFile + " is missing: build checkpoint-storage first");
    }
    String classpath =
        storage.resolve("test-classes")
            + File.pathSeparator
            + storage.resolve("classes")
            + File.pathSeparator
            + Files.readString(classpathFile).trim();
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> args = new ArrayList<>(List.of(Integer.toString(port)));
    args.addAll(List.of(buckets));
    JvmProcess process =
        JvmProcess.startWithClasspath(
            "s3proxy", S3ProxyServer.class.getName(), classpath, logDir, List.of("-Xmx256m"), args);
    S3ProxyProcess s3 = new S3ProxyProcess(process, URI.create("http://127.0.0.1:" + port));
    try {
      Awaits.until(
          "S3Proxy serving",
          Duration.ofSeconds(60),
          () -> process.logText().contains("S3 ready at"));
    } catch (RuntimeException | AssertionError e) {
      s3.close();
      throw new IllegalStateException("S3Proxy did not start: " + process.logText(), e);
    }
    return s3;
  }

  /** Baton's keys for reaching this server. */
  Configuration configuration() {
    return new Configuration()
        .set(StorageOptions.S3_ENDPOINT, endpoint.toString())
        .set(StorageOptions.S3_PATH_STYLE, true)
        .set(StorageOptions.S3_REGION, "us-east-1")
        .set(StorageOptions.S3_ACCESS_KEY, S3ProxyServer.ACCESS_KEY)
        .set(StorageOptions.S3_SECRET_KEY, S3ProxyServer.SECRET_KEY);
  }

  @Override
  public void close() throws Exception {
    process.close();
  }
}
