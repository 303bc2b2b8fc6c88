package io.baton.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.ha.CheckpointPointer;
import io.baton.ha.StoredCheckpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which completed checkpoints retention withdraws. */
class CheckpointRetentionTest {

  @Test
  void theNewestReadableOnesAreKeptAndTheOlderOnesRetiredOldestFirst() {
    List<StoredCheckpoint> all = List.of(readable(1), readable(2), readable(3), readable(4));

    assertThat(ids(CheckpointDisposal.retired(all, 2))).containsExactly(1L, 2L);
  }

  @Test
  void anUnreadablePointerWithTheHighestIdDoesNotPushIntactCheckpointsOut() {
    // e.g. a pointer planted with a huge id, naming a file outside the storage
    List<StoredCheckpoint> all =
        List.of(readable(5), readable(6), readable(7), unreadable(999_999));

    assertThat(ids(CheckpointDisposal.retired(all, 1))).containsExactly(5L, 6L);
  }

  @Test
  void anUnreadablePointerOlderThanTheOldestKeptAgesOut() {
    List<StoredCheckpoint> all = List.of(unreadable(1), readable(2), unreadable(3), readable(4));

    assertThat(ids(CheckpointDisposal.retired(all, 2))).containsExactly(1L);
    assertThat(ids(CheckpointDisposal.retired(all, 1))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void withFewerReadableOnesThanRetainedNothingIsRetired() {
    List<StoredCheckpoint> all = List.of(unreadable(1), readable(2), unreadable(3));

    assertThat(CheckpointDisposal.retired(all, 2)).isEmpty();
  }

  private static List<Long> ids(List<StoredCheckpoint> checkpoints) {
    return checkpoints.stream().map(StoredCheckpoint::checkpointId).toList();
  }

  private static StoredCheckpoint readable(long id) {
    CheckpointPointer pointer = new CheckpointPointer(id, "file:/cp/job/chk-" + id, false, 1);
    return StoredCheckpoint.readable(pointer, pointer.directory());
  }

  private static StoredCheckpoint unreadable(long id) {
    return StoredCheckpoint.unreadable(id, "/baton/c/checkpoints/job/" + id, "not a pointer");
  }
}
