package io.baton.taskmanager.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.cluster.SlotReport;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.JobId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlotTableTest {
  private final JobId job = JobId.random();
  private final SlotTable.Allocation first = new SlotTable.Allocation(AllocationId.random(), job);
  private final SlotTable.Allocation second = new SlotTable.Allocation(AllocationId.random(), job);

  @Test
  void aSlotIsAllocatedByItsFirstTaskAndAcceptsMoreOfTheSameAllocation() {
    SlotTable slots = new SlotTable(2);

    assertThat(slots.allocate(0, first)).isEmpty();
    assertThat(slots.allocate(0, first)).isEmpty();
    assertThat(slots.allocate(0, second))
        .hasValue("slot 0 is held by allocation " + first.allocationId() + " of job " + job);
    assertThat(slots.allocate(-1, second))
        .hasValue("slot index -1 is out of range: this TaskManager has 2 slot(s)");
    assertThat(slots.status())
        .extracting(SlotReport::allocationId)
        .containsExactly(Optional.of(first.allocationId()), Optional.empty());
  }

  @Test
  void freeingTheLastSlotOfAJobLeavesNoneOfIt() {
    SlotTable slots = new SlotTable(3);
    slots.allocate(0, first);
    slots.allocate(2, second);

    assertThat(slots.free(first.allocationId())).hasValue(first);
    assertThat(slots.hasSlotsOf(job)).isTrue();
    assertThat(slots.free(first.allocationId())).isEmpty();
    assertThat(slots.freeAll()).containsExactly(second);
    assertThat(slots.hasSlotsOf(job)).isFalse();
    assertThat(slots.allocate(0, second)).isEmpty();
  }
}
