package io.baton.storage;

import io.baton.common.config.Configuration;
import io.baton.common.config.IllegalConfigurationException;
import io.baton.common.config.StorageOptions;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The {@code s3.*} keys, checked, and the S3 client they describe. */
record S3Settings(
    URI endpoint, boolean pathStyle, String region, String accessKey, String secretKey) {

  /** How long to wait for a TCP connection to the endpoint before giving up. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** How long a started request may go without receiving a byte. */
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  static S3Settings from(Configuration configuration) {
    String endpoint =
        blankToNull(configuration.getOptional(StorageOptions.S3_ENDPOINT).orElse(null));
    URI endpointUri = null;
    if (endpoint != null) {
      try {
        endpointUri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalConfigurationException(
            StorageOptions.S3_ENDPOINT.key() + " '" + endpoint + "' is not a URL", e);
      }
      if (!"http".equals(endpointUri.getScheme()) && !"https".equals(endpointUri.getScheme())) {
        throw new IllegalConfigurationException(
            StorageOptions.S3_ENDPOINT.key()
                + " '"
                + endpoint
                + "' must start with http:// or https://");
      }
    }
    String accessKey =
        blankToNull(configuration.getOptional(StorageOptions.S3_ACCESS_KEY).orElse(null));
    String secretKey =
        blankToNull(configuration.getOptional(StorageOptions.S3_SECRET_KEY).orElse(null));
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalConfigurationException(
          "set both "
              + StorageOptions.S3_ACCESS_KEY.key()
              + " and "
              + StorageOptions.S3_SECRET_KEY.key()
              + ", or neither to use the AWS default credential chain");
    }
    return new S3Settings(
        endpointUri,
        configuration.getOptional(StorageOptions.S3_PATH_STYLE).orElse(false),
        configuration.getOptional(StorageOptions.S3_REGION).orElse("us-east-1"),
        accessKey,
        secretKey);
  }

  /** A client for these settings; the caller closes it. */
  S3Client newClient() {
    var builder =
        S3Client.builder()
            .region(Region.of(region))
            .forcePathStyle(pathStyle)
            .credentialsProvider(credentials())
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(SOCKET_TIMEOUT));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    } else {
      // on AWS itself, a bucket in another region than s3.region still works
      builder.crossRegionAccessEnabled(true);
    }
    return builder.build();
  }

  /** Where requests go, for error messages. */
  String endpointDescription() {
    return endpoint != null ? endpoint.toString() : "AWS S3 in " + region;
  }

  private AwsCredentialsProvider credentials() {
    if (accessKey != null) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  @Override
  public String toString() {
    // never print the secret
    return "S3Settings[endpoint="
        + endpointDescription()
        + ", pathStyle="
        + pathStyle
        + ", credentials="
        + (accessKey != null ? "static key " + accessKey : "default chain")
        + "]";
  }
}
