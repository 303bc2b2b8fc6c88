package io.baton.it;

import io.baton.common.config.Configuration;
import io.baton.common.config.StorageOptions;
import io.baton.storage.S3ProxyServer;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * S3Proxy, a real S3 API server, in a JVM of its own: it runs on Jetty 12, the JobManager's REST
 * server on Jetty 11, so the two cannot share this test's class path. Started from the storage
 * module's test class path.
 */
final class S3ProxyProcess implements AutoCloseable {
  private volatile JvmProcess process;
  private final URI endpoint;
  // starts the server again on the same port with the same data; null: its data is in memory
  private final ServerLauncher launcher;

  private S3ProxyProcess(JvmProcess process, URI endpoint) {
    this(process, endpoint, null);
  }

  private S3ProxyProcess(JvmProcess process, URI endpoint, ServerLauncher launcher) {
    this.process = process;
    this.endpoint = endpoint;
    this.launcher = launcher;
  }

  /** Starts the server JVM; the launcher of a server whose data outlives its process. */
  @FunctionalInterface
  private interface ServerLauncher {
    JvmProcess launch() throws IOException;
  }

  static S3ProxyProcess start(Path logDir, String... buckets) throws Exception {
    String classpath = storageTestClasspath();
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

  private static String storageTestClasspath() throws IOException {
    Path storage = Path.of("..", "checkpoint-storage", "target").toAbsolutePath().normalize();
    Path classpathFile = storage.resolve("test-classpath.txt");
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          classpathFile + " is missing: build checkpoint-storage first");
    }
    return storage.resolve("test-classes")
        + File.pathSeparator
        + storage.resolve("classes")
        + File.pathSeparator
        + Files.readString(classpathFile).trim();
  }

  /**
   * S3Proxy's own server ({@code org.gaul.s3proxy.Main}) keeping its objects as files under {@code
   * dataDir} (a bucket is a directory there): unlike {@link #start}'s in-memory server it can be
   * {@link #stop stopped} and {@link #restart started again} on the same port with the same
   * objects, as an S3 endpoint that goes away for a while and comes back.
   */
  static S3ProxyProcess startOnDisk(Path logDir, Path dataDir, String... buckets) throws Exception {
    String classpath = storageTestClasspath();
    for (String bucket : buckets) {
      Files.createDirectories(dataDir.resolve(bucket));
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    Properties properties = new Properties();
    properties.setProperty("s3proxy.endpoint", endpoint.toString());
    properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    properties.setProperty("s3proxy.identity", S3ProxyServer.ACCESS_KEY);
    properties.setProperty("s3proxy.credential", S3ProxyServer.SECRET_KEY);
    properties.setProperty("jclouds.provider", "filesystem-nio2");
    properties.setProperty("jclouds.identity", S3ProxyServer.ACCESS_KEY);
    properties.setProperty("jclouds.credential", S3ProxyServer.SECRET_KEY);
    properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
    Files.createDirectories(logDir);
    Path propertiesFile = logDir.resolve("s3proxy.properties");
    try (var out = Files.newOutputStream(propertiesFile)) {
      properties.store(out, "S3Proxy on " + dataDir);
    }
    String probeBucket = buckets.length > 0 ? "/" + buckets[0] : "/";
    ServerLauncher launcher =
        () -> {
          JvmProcess process =
              JvmProcess.startWithClasspath(
                  "s3proxy",
                  "org.gaul.s3proxy.Main",
                  classpath,
                  logDir,
                  List.of("-Xmx256m"),
                  List.of("--properties", propertiesFile.toString()));
          awaitServing(process, endpoint.resolve(probeBucket));
          return process;
        };
    return new S3ProxyProcess(launcher.launch(), endpoint, launcher);
  }

  /** Waits until the server answers HTTP at all (any status: it serves, the rest is auth). */
  private static void awaitServing(JvmProcess process, URI probe) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      Awaits.until(
          "S3Proxy serving at " + probe,
          Duration.ofSeconds(60),
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("S3Proxy exited: " + process.logText());
            }
            return http.send(
                        HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                > 0;
          });
    } catch (RuntimeException | AssertionError e) {
      try {
        process.kill();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("S3Proxy did not start: " + process.logText(), e);
    }
  }

  /**
   * SIGKILL, as a crashed or unplugged endpoint: requests in flight break, new ones are refused
   * until {@link #restart}.
   */
  void stop() throws InterruptedException {
    process.kill();
  }

  /** Starts the server again on the same port with the objects it had; waits until it serves. */
  void restart() throws IOException {
    if (launcher == null) {
      throw new IllegalStateException(
          "this S3 server keeps its objects in memory: use startOnDisk for one that restarts");
    }
    if (process.isAlive()) {
      throw new IllegalStateException("S3Proxy at " + endpoint + " still runs: stop it first");
    }
    process = launcher.launch();
  }

  URI endpoint() {
    return endpoint;
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
