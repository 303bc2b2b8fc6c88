package io.baton.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.config.CheckpointingOptions.ExternalizedRetention;
import io.baton.common.config.Configuration;
import io.baton.common.ids.JobId;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.StoredCheckpoint;
import io.baton.storage.FileStores;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a job resumes on its own: restoring from nothing is allowed only when no checkpoint ever
 * completed; a pointer that cannot be read counts as a damaged checkpoint.
 */
class RestoreDecisionTest {
  private static final JobId JOB = JobId.random();

  @TempDir Path dir;
  private final CheckpointFiles files = new CheckpointFiles(new FileStores(new Configuration()));

  @Test
  void aJobThatNeverCompletedACheckpointStartsFromNothing() {
    RestoreDecision decision = decide(List.of(), false, Optional.empty());

    assertThat(decision.refused()).isFalse();
    assertThat(decision.point()).isEmpty();
  }

  @Test
  void aJobThatNeverCompletedACheckpointStartsFromItsSavepointAgain() throws Exception {
    RestorePoint savepoint = written(7, dir.resolve("savepoint-1"));

    RestoreDecision decision = decide(List.of(), false, Optional.of(savepoint));

    assertThat(decision.refused()).isFalse();
    assertThat(decision.point()).contains(savepoint);
  }

  @Test
  void theNewestIntactCheckpointIsChosenPastDamagedOnesAndAGarbledPointer() throws Exception {
    written(1, dir.resolve("chk-1"));
    written(2, dir.resolve("chk-2"));
    Files.write(dir.resolve("chk-2").resolve("_metadata"), new byte[] {1, 2, 3});
    List<StoredCheckpoint> newestFirst =
        List.of(
            StoredCheckpoint.unreadable(
                3, "/baton/c/checkpoints/j/0000000000000000003", "Pointer holds 'x', not a URI"),
            stored(2, dir.resolve("chk-2")),
            stored(1, dir.resolve("chk-1")));

    ReadableCheckpoint.Found found =
        ReadableCheckpoint.latest(newestFirst, files, locations(), JOB.toString());
    RestoreDecision decision = RestoreDecision.decide(JOB, found, true, Optional.empty());

    assertThat(decision.refused()).isFalse();
    assertThat(decision.point().orElseThrow().metadata().checkpointId()).isEqualTo(1);
    assertThat(decision.point().orElseThrow().path())
        .isEqualTo(dir.resolve("chk-1").toUri().toString());
    assertThat(found.skipped())
        .extracting(ReadableCheckpoint.Skipped::checkpointId)
        .containsExactly(3L, 2L);
    assertThat(found.skipped().get(0).reason())
        .isEqualTo("its pointer cannot be read: Pointer holds 'x', not a URI");
    assertThat(found.skipped().get(0).location())
        .isEqualTo("/baton/c/checkpoints/j/0000000000000000003");
  }

  @Test
  void everyCheckpointDamagedRefusesTheJobWithOneLineNamingEach() throws Exception {
    written(2, dir.resolve("chk-2"));
    Files.write(dir.resolve("chk-2").resolve("_metadata"), new byte[0]);
    List<StoredCheckpoint> newestFirst =
        List.of(
            StoredCheckpoint.unreadable(
                3, "/baton/c/checkpoints/j/0000000000000000003", "Pointer holds 'x', not a URI"),
            stored(2, dir.resolve("chk-2")));

    RestoreDecision decision = decide(newestFirst, true, Optional.empty());

    assertThat(decision.refused()).isTrue();
    assertThat(decision.point()).isEmpty();
    assertThat(decision.refusal().orElseThrow())
        .doesNotContain("\n")
        .startsWith("Job " + JOB + " is not resumed: it completed checkpoints before")
        .contains(
            "checkpoint 3 at /baton/c/checkpoints/j/0000000000000000003 (its pointer cannot be"
                + " read: Pointer holds 'x', not a URI)")
        .contains("; checkpoint 2 at " + dir.resolve("chk-2").toUri())
        .contains("starting from the beginning would write that output twice")
        .endsWith(
            "resume it from a savepoint or a retained checkpoint with 'baton run -s <path>', or"
                + " clear its output and submit it again");
  }

  @Test
  void checkpointsThisJobMasterSawCompleteRefuseEvenWhenTheStoreNamesNone() throws Exception {
    RestorePoint savepoint = written(7, dir.resolve("savepoint-1"));

    RestoreDecision decision = decide(List.of(), true, Optional.of(savepoint));

    assertThat(decision.refused()).isTrue();
    assertThat(decision.refusal().orElseThrow())
        .contains("the completed checkpoint store names none of them any more")
        .contains("starting from " + savepoint.path() + " would write that output twice");
  }

  private RestoreDecision decide(
      List<StoredCheckpoint> newestFirst, boolean completedBefore, Optional<RestorePoint> initial) {
    return RestoreDecision.decide(
        JOB,
        ReadableCheckpoint.latest(newestFirst, files, locations(), JOB.toString()),
        completedBefore,
        initial);
  }

  private RestorePoint written(long id, Path directory) throws Exception {
    CheckpointMetadata metadata =
        new CheckpointMetadata(
            CheckpointMetadata.FORMAT_VERSION, JOB.toString(), id, 1, 2, false, List.of());
    URI uri = directory.toUri();
    files.writeMetadata(uri, metadata);
    return new RestorePoint(metadata, uri.toString());
  }

  /** Checkpoints confined to the test's directory, where they all are. */
  private CheckpointLocations locations() {
    return CheckpointLocations.of(
        new CheckpointSettings(
            Optional.of(Duration.ofSeconds(1)),
            Duration.ofMinutes(1),
            1,
            0,
            1,
            Optional.of(dir.toUri()),
            Optional.empty(),
            ExternalizedRetention.DELETE_ON_CANCELLATION));
  }

  private static StoredCheckpoint stored(long id, Path directory) {
    CheckpointPointer pointer = new CheckpointPointer(id, directory.toUri().toString(), false, 2);
    return StoredCheckpoint.readable(pointer, pointer.directory());
  }
}
