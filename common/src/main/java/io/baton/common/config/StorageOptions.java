package io.baton.common.config;

import static io.baton.common.config.ConfigOption.booleanOption;
import static io.baton.common.config.ConfigOption.stringOption;

/** Access to HDFS and S3. */
public final class StorageOptions {
  private StorageOptions() {}

  public static final ConfigOption<String> S3_ENDPOINT =
      stringOption("s3.endpoint", null, "S3 endpoint URL (for S3-compatible stores); unset: AWS.");

  public static final ConfigOption<Boolean> S3_PATH_STYLE =
      booleanOption(
          "s3.path-style-access",
          false,
          "Address buckets as http://endpoint/bucket instead of http://bucket.endpoint.");

  public static final ConfigOption<String> S3_REGION =
      stringOption("s3.region", "us-east-1", "S3 region.");

  public static final ConfigOption<String> S3_ACCESS_KEY =
      stringOption(
          "s3.access-key", null, "S3 access key; unset: the AWS SDK's default credential chain.");

  public static final ConfigOption<String> S3_SECRET_KEY =
      stringOption(
          "s3.secret-key", null, "S3 secret key; unset: the AWS SDK's default credential chain.");

  public static final ConfigOption<String> HADOOP_CONF_DIR =
      stringOption(
          "fs.hdfs.hadoopconf",
          null,
          "Directory with core-site.xml and hdfs-site.xml; unset: $HADOOP_CONF_DIR.");
}
