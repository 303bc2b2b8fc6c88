package io.baton.ha.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.ids.JobId;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.CompletedCheckpointStore;
import io.baton.ha.LeaderStores;
import org.junit.jupiter.api.Test;

class StandaloneHighAvailabilityServicesTest {
  private final LeaderStores services = new StandaloneLeaderStores();
  private final JobId job = JobId.random();

  private static CheckpointPointer pointer(long id) {
    return new CheckpointPointer(id, "file:///tmp/cp/chk-" + id, false, 1000 + id);
  }

  @Test
  void theStoreKeepsCheckpointsInIdOrderAndRemovesThem() throws Exception {
    CompletedCheckpointStore store = services.completedCheckpointStore(job);
    assertThat(store.latest()).isEmpty();

    store.add(pointer(3));
    store.add(pointer(1));
    store.add(pointer(2));

    assertThat(store.all()).extracting(CheckpointPointer::checkpointId).containsExactly(1L, 2L, 3L);
    assertThat(store.latest()).contains(pointer(3));
    assertThat(store.remove(1)).isTrue();
    assertThat(store.remove(1)).isFalse();
    assertThat(store.all()).extracting(CheckpointPointer::checkpointId).containsExactly(2L, 3L);
    assertThat(store.remove(3)).isTrue();
    assertThat(store.latest()).contains(pointer(2));
  }

  @Test
  void storesAndCountersAreKeptPerJob() throws Exception {
    JobId other = JobId.random();
    services.completedCheckpointStore(job).add(pointer(7));
    services.checkpointIdCounter(job).getAndIncrement();

    assertThat(services.completedCheckpointStore(job).all()).hasSize(1);
    assertThat(services.completedCheckpointStore(other).all()).isEmpty();
    assertThat(services.checkpointIdCounter(job).get()).isEqualTo(2);
    assertThat(services.checkpointIdCounter(other).get()).isEqualTo(1);

    services.releaseJob(job);
    assertThat(services.completedCheckpointStore(job).all()).isEmpty();
    assertThat(services.checkpointIdCounter(job).get()).isEqualTo(1);
  }

  @Test
  void theCounterStartsAtOneAndOnlyMovesForward() throws Exception {
    CheckpointIdCounter counter = services.checkpointIdCounter(job);
    counter.start();
    assertThat(counter.getAndIncrement()).isEqualTo(1);
    assertThat(counter.getAndIncrement()).isEqualTo(2);

    counter.setCount(10);
    assertThat(counter.getAndIncrement()).isEqualTo(10);
    counter.setCount(5);
    assertThat(counter.get()).isEqualTo(11);
  }
}
