package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.common.config.StorageUriForm;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorageTargetsTest {
  private static final StorageTargets FILE_ONLY = StorageTargets.of(new Configuration(), Map.of());

  @Test
  void fileIsAlwaysConfigured() {
    assertThat(FILE_ONLY.schemes()).containsExactly("file");
    assertThat(FILE_ONLY.check("file:///var/baton/savepoints", "target-directory"))
        .isEqualTo(URI.create("file:///var/baton/savepoints"));
    assertThat(FILE_ONLY.check("file://localhost/var/sp", "target-directory").getPath())
        .isEqualTo("/var/sp");
  }

  @Test
  void hdfsAndS3CountWhenTheirKeysOrAConfiguredLocationUseThem() {
    assertThat(
            StorageTargets.of(
                    Configuration.fromMap(Map.of("fs.hdfs.hadoopconf", "/etc/hadoop")), Map.of())
                .schemes())
        .containsExactly("file", "hdfs");
    assertThat(
            StorageTargets.of(new Configuration(), Map.of("HADOOP_CONF_DIR", "/etc/hadoop"))
                .schemes())
        .containsExactly("file", "hdfs");
    assertThat(
            StorageTargets.of(
                    Configuration.fromMap(Map.of("s3.endpoint", "http://127.0.0.1:9000")), Map.of())
                .schemes())
        .containsExactly("file", "s3");
    assertThat(
            StorageTargets.of(
                    Configuration.fromMap(
                        Map.of(
                            "high-availability.storageDir", "s3://bucket/ha",
                            "state.checkpoints.dir", "hdfs://nn:8020/checkpoints")),
                    Map.of())
                .schemes())
        .containsExactly("file", "hdfs", "s3");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '"',
      value = {
        "relative/dir; is not an absolute URI (" + StorageUriForm.EXAMPLES + ")",
        "/abs/path/without/scheme; is not an absolute URI (" + StorageUriForm.EXAMPLES + ")",
        "file:relative; is not an absolute URI (" + StorageUriForm.EXAMPLES + ")",
        "file://tmp/x; names host 'tmp' in a file URI: write file:///path (three slashes)",
        "s3://bucket/sp; is on s3://, which this cluster has not configured (it can write to"
            + " file://)",
        "ftp://host/sp; is on ftp://, which this cluster has not configured (it can write to"
            + " file://)",
        "file:///a b; is not a valid URI (Illegal character in path)",
      })
  void anythingElseIsOneLineNamingTheField(String location, String problem) {
    assertThatThrownBy(() -> FILE_ONLY.check(location, "target-directory"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target-directory '" + location + "' " + problem);
  }
}
