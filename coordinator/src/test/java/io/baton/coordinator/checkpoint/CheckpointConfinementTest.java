package io.baton.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.config.CheckpointingOptions.ExternalizedRetention;
import io.baton.common.config.Configuration;
import io.baton.common.ids.JobId;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.StoredCheckpoint;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import io.baton.storage.FileStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completed checkpoint pointers that name a directory outside {@code state.checkpoints.dir}, and
 * checkpoint metadata whose state handles name files outside its directory: passed over unread on
 * restore, with one line saying why, and never deleted.
 */
class CheckpointConfinementTest {
  @TempDir Path base;
  private final CheckpointFiles files = new CheckpointFiles(new FileStores(new Configuration()));
  private final JobId job = JobId.random();
  private Path checkpoints;
  private Path elsewhere;
  private CheckpointLocations locations;
  private CheckpointSettings settings;

  @BeforeEach
  void setUp() throws IOException {
    checkpoints = Files.createDirectories(base.resolve("checkpoints"));
    elsewhere = Files.createDirectories(base.resolve("elsewhere"));
    settings =
        new CheckpointSettings(
            Optional.of(Duration.ofSeconds(1)),
            Duration.ofMinutes(1),
            1,
            0,
            1,
            Optional.of(checkpoints.toUri()),
            Optional.empty(),
            ExternalizedRetention.DELETE_ON_CANCELLATION);
    locations = CheckpointLocations.of(settings);
  }

  @Test
  void aPointerOutsideTheCheckpointsDirIsPassedOverUnreadAndTheOneBeforeIsUsed() throws Exception {
    Path good = checkpoint(checkpoints.resolve(job.value()).resolve("chk-1"), 1, null);
    // a complete, intact checkpoint: only where it lies is wrong
    Path planted = checkpoint(elsewhere.resolve("chk-2"), 2, null);
    String escape = checkpoints.toUri() + job.value() + "/../../elsewhere/chk-3";
    checkpoint(elsewhere.resolve("chk-3"), 3, null);

    ReadableCheckpoint.Found found =
        ReadableCheckpoint.latest(
            List.of(
                stored(pointer(3, escape)),
                stored(pointer(2, planted.toUri().toString())),
                stored(pointer(1, good))),
            files,
            locations,
            job.value());

    assertThat(found.chosen()).isPresent();
    assertThat(found.chosen().get().metadata().checkpointId()).isEqualTo(1);
    assertThat(found.skipped())
        .extracting(ReadableCheckpoint.Skipped::reason)
        .containsExactly(
            "checkpoint 3 of job "
                + job
                + " names "
                + escape
                + ", outside state.checkpoints.dir "
                + locations.directoryOf(pointer(1, good), "x").resolve("../..")
                + ": refused, neither read nor deleted",
            "checkpoint 2 of job "
                + job
                + " names "
                + planted.toUri()
                + ", outside state.checkpoints.dir "
                + locations.directoryOf(pointer(1, good), "x").resolve("../..")
                + ": refused, neither read nor deleted");
  }

  @Test
  void metadataWhoseStateHandlesLieOutsideItsDirectoryIsPassedOver() throws Exception {
    Path good = checkpoint(checkpoints.resolve(job.value()).resolve("chk-1"), 1, null);
    Path hostname = Files.writeString(elsewhere.resolve("hostname"), "secret");
    Path bad = checkpoint(checkpoints.resolve(job.value()).resolve("chk-2"), 2, hostname);

    ReadableCheckpoint.Found found =
        ReadableCheckpoint.latest(
            List.of(stored(pointer(2, bad)), stored(pointer(1, good))),
            files,
            locations,
            job.value());

    assertThat(found.chosen().orElseThrow().metadata().checkpointId()).isEqualTo(1);
    assertThat(found.skipped().get(0).reason())
        .startsWith("a state handle in " + bad.toUri().toString().replace("file:///", "file:/"))
        .contains("names " + hostname.toUri())
        .contains("outside its checkpoint directory")
        .doesNotContain("\n");
  }

  @Test
  void disposalNeverDeletesADirectoryOutsideTheCheckpointsDir() throws Exception {
    CompletedCheckpointStore store =
        HighAvailabilityServicesFactory.inMemoryStores().completedCheckpointStore(job);
    Path inside = checkpoint(checkpoints.resolve(job.value()).resolve("chk-1"), 1, null);
    Path planted = checkpoint(elsewhere.resolve("chk-2"), 2, null);
    store.add(pointer(1, inside));
    store.add(pointer(2, planted));

    CheckpointDisposal.cleanUp(job, JobStatus.FINISHED, settings, store, files, Runnable::run);

    assertThat(store.all()).isEmpty();
    assertThat(inside).doesNotExist();
    assertThat(planted).isDirectory();
    assertThat(planted.resolve("_metadata")).exists();
  }

  private CheckpointPointer pointer(long id, Path directory) {
    return pointer(id, directory.toUri().toString());
  }

  private static StoredCheckpoint stored(CheckpointPointer pointer) {
    return StoredCheckpoint.readable(pointer, pointer.directory());
  }

  private static CheckpointPointer pointer(long id, String directory) {
    return new CheckpointPointer(id, directory, false, id);
  }

  /** A complete checkpoint directory; its one state file is {@code stateFile} when given. */
  private Path checkpoint(Path directory, long id, Path stateFile) throws IOException {
    Files.createDirectories(directory);
    Path file = stateFile != null ? stateFile : directory.resolve("state");
    if (stateFile == null) {
      Files.writeString(file, "state " + id);
    }
    byte[] bytes = Files.readAllBytes(file);
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    CheckpointMetadata.Handle handle =
        new CheckpointMetadata.Handle(
            file.toUri().toString(),
            bytes.length,
            crc.getValue(),
            "keyed",
            "count",
            0,
            0,
            1,
            0,
            127);
    files.writeMetadata(
        directory.toUri(),
        new CheckpointMetadata(1, job.value(), id, 1, 2, false, List.of(handle)));
    return directory;
  }
}
