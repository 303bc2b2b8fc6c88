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
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> "STARTED".equals(proxy.getState()));
    return new S3ProxyServer(proxy);
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
