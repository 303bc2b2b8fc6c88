package io.baton.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.config.Configuration;
import io.baton.storage.FileStores;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
  @TempDir Path dir;
  private final CheckpointFiles files = new CheckpointFiles(new FileStores(new Configuration()));

  private CheckpointMetadata.Handle stateFile(String name, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(dir.resolve(name), bytes);
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return new CheckpointMetadata.Handle(
        file.toUri().toString(), bytes.length, crc.getValue(), "keyed", "count", 0, 0, 1, 0, 127);
  }

  @Test
  void metadataIsWrittenAsVersionedJsonAndReadBack() throws Exception {
    CheckpointMetadata metadata =
        new CheckpointMetadata(
            1, "abc", 7, 100, 150, false, List.of(stateFile("2_0_0_keyed", "state")));

    files.writeMetadata(dir.toUri(), metadata);

    String json = Files.readString(dir.resolve("_metadata"));
    assertThat(json)
        .contains("\"format_version\" : 1")
        .contains("\"checkpoint_id\" : 7")
        .contains("\"is_savepoint\" : false")
        .contains("\"key_group_end\" : 127");
    assertThat(files.readMetadata(dir.toUri())).isEqualTo(metadata);
    assertThat(files.readMetadata(dir.resolve("_metadata").toUri())).isEqualTo(metadata);
    files.verify(dir.toUri(), metadata);
  }

  @Test
  void verificationNamesTheFileThatIsShortCorruptOrMissing() throws Exception {
    CheckpointMetadata.Handle good = stateFile("a", "hello");
    Files.writeString(dir.resolve("a"), "hellO");
    assertThatThrownBy(() -> files.verify(dir.toUri(), metadataOf(good)))
        .hasMessageStartingWith("state file " + good.path() + " is corrupt: CRC32C");

    Files.writeString(dir.resolve("a"), "hi");
    assertThatThrownBy(() -> files.verify(dir.toUri(), metadataOf(good)))
        .hasMessage("state file " + good.path() + " has 2 bytes, expected 5");

    Files.delete(dir.resolve("a"));
    assertThatThrownBy(() -> files.verify(dir.toUri(), metadataOf(good)))
        .hasMessage("state file " + good.path() + " is missing");
  }

  private static CheckpointMetadata metadataOf(CheckpointMetadata.Handle handle) {
    return new CheckpointMetadata(1, "abc", 1, 1, 2, false, List.of(handle));
  }

  @Test
  void aDirectoryWithoutMetadataOrWithOtherContentIsRefused() throws Exception {
    assertThatThrownBy(() -> files.readMetadata(dir.toUri())).hasMessage("no _metadata file");

    Files.writeString(dir.resolve("_metadata"), "{\"format_version\": 9}");
    assertThatThrownBy(() -> files.readMetadata(dir.toUri()))
        .hasMessage("_metadata has format version 9; this Baton reads version 1");

    Files.writeString(dir.resolve("_metadata"), "not json");
    assertThatThrownBy(() -> files.readMetadata(dir.toUri()))
        .hasMessageStartingWith("_metadata is not checkpoint metadata: ");
  }

  @Test
  void deletingADirectoryRemovesEverythingInIt() throws Exception {
    Path chk = Files.createDirectories(dir.resolve("chk-1"));
    Files.writeString(chk.resolve("x"), "x");
    URI uri = chk.toUri();

    files.deleteDirectory(uri);

    assertThat(chk).doesNotExist();
    files.deleteDirectory(uri);
  }
}
