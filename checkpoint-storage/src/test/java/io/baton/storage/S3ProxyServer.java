package io.baton.storage;

import static org.awaitility.Awaitility.await;

import io.baton.common.config.Configuration;
import io.baton.common.config.StorageOptions;
import java.net.URI;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server in the test JVM, in memory, on a loopback port, with one key pair. Reach it
 * with {@link #configuration()} (path-style access to {@link #endpoint()}).
 */
public final class S3ProxyServer {
  public static final String ACCESS_KEY = "baton-access";
  public static final String SECRET_KEY = "baton-secret";

  private final S3Proxy proxy;
  private final URI endpoint;

  private S3ProxyServer(S3Proxy proxy) {
    this.proxy = proxy;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public static S3ProxyServer start() throws Exception {
    return start(0);
  }

  /** Starts on {@code port} (0: a free one). */
  public static S3ProxyServer start(int port) throws Exception {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> "STARTED".equals(proxy.getState()));
    return new S3ProxyServer(proxy);
  }

  /**
   * Runs a server in a JVM of its own, for end-to-end tests whose class path cannot hold S3Proxy's
   * Jetty 12 next to the JobManager's Jetty 11: {@code S3ProxyServer <port> <bucket>...}; prints
   * "S3 ready at <endpoint>" once it serves, then runs until killed.
   */
  public static void main(String[] args) throws Exception {
    S3ProxyServer server = start(Integer.parseInt(args[0]));
    for (int i = 1; i < args.length; i++) {
      server.createBucket(args[i]);
    }
    System.out.println("S3 ready at " + server.endpoint());
    System.out.flush();
    new java.util.concurrent.CountDownLatch(1).await();
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Baton's keys for reaching this server with the right credentials. */
  public Configuration configuration() {
    return new Configuration()
        .set(StorageOptions.S3_ENDPOINT, endpoint.toString())
        .set(StorageOptions.S3_PATH_STYLE, true)
        .set(StorageOptions.S3_REGION, "us-east-1")
        .set(StorageOptions.S3_ACCESS_KEY, ACCESS_KEY)
        .set(StorageOptions.S3_SECRET_KEY, SECRET_KEY);
  }

  /** A client built the way production builds it; the caller closes it. */
  public S3Client newClient() {
    return S3Settings.from(configuration()).newClient();
  }

  public void createBucket(String bucket) {
    try (S3Client client = newClient()) {
      client.createBucket(b -> b.bucket(bucket));
    }
  }

  public void stop() throws Exception {
    proxy.stop();
  }
}
