package io.baton.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfinedDirectoryTest {
  private final ConfinedDirectory s3 =
      ConfinedDirectory.of(
          URI.create("s3://bucket/ha/default/jobgraphs"), "high-availability.storageDir");
  private final ConfinedDirectory local =
      ConfinedDirectory.of(URI.create("file:///var/baton/ha/"), "high-availability.storageDir");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "s3://other-bucket/ha/default/jobgraphs/x",
        "S3://BUCKET.evil/ha/default/jobgraphs/x",
        "hdfs://bucket/ha/default/jobgraphs/x",
        "file:///ha/default/jobgraphs/x",
        "s3://bucket/ha/default/jobgraphs/../blobs/x",
        "s3://bucket/ha/default/jobgraphs/%2e%2e/blobs/x",
        "s3://bucket/ha/default/jobgraphs/..%2f..%2fx",
        "s3://bucket/ha/default/jobgraphs-old/x",
        "s3://bucket/ha/default/jobgraphs",
        "s3://bucket/ha/default/jobgraphs/",
        "s3://bucket/ha/default/jobgraphs/x?y=1",
        "s3://bucket/ha/default/jobgraphs/x#y",
        "s3:ha/default/jobgraphs/x",
        "s3://user@bucket/ha/default/jobgraphs/x",
        "s3://bucket:1/ha/default/jobgraphs/x"
      })
  void locationsOutsideAreRefused(String location) {
    assertThat(s3.resolve(URI.create(location))).isEmpty();
    assertThatThrownBy(() -> s3.confine(URI.create(location), "Pointer /baton/default/jobgraphs/j"))
        .isInstanceOf(OutsideStorageException.class)
        .hasMessage(
            "Pointer /baton/default/jobgraphs/j names "
                + location
                + ", outside high-availability.storageDir s3://bucket/ha/default/jobgraphs/:"
                + " refused, neither read nor deleted");
  }

  @Test
  void locationsInsideAreNormalized() {
    assertThat(s3.resolve(URI.create("s3://bucket/ha/default/jobgraphs/x")))
        .contains(URI.create("s3://bucket/ha/default/jobgraphs/x"));
    assertThat(s3.resolve(URI.create("S3://bucket//ha/./default/blobs/../jobgraphs//x")))
        .contains(URI.create("s3://bucket/ha/default/jobgraphs/x"));
    assertThat(local.resolve(URI.create("file:/var/baton/ha/c/jobgraphs/j-1")))
        .contains(URI.create("file:/var/baton/ha/c/jobgraphs/j-1"));
    assertThat(local.contains(URI.create("file://localhost/var/baton/ha/c/x"))).isFalse();
  }

  @Test
  void plainPathsAndUnparsableTextAreCheckedToo() throws Exception {
    assertThat(local.confine("/var/baton/ha/c/x", "a state handle"))
        .isEqualTo(URI.create("file:/var/baton/ha/c/x"));
    assertThatThrownBy(() -> local.confine("/etc/hostname", "a state handle"))
        .isInstanceOf(OutsideStorageException.class)
        .hasMessageStartingWith("a state handle names /etc/hostname, outside");
    assertThatThrownBy(() -> local.confine("file:///var/baton/ha/ x|<", "a state handle"))
        .isInstanceOf(OutsideStorageException.class);
  }
}
