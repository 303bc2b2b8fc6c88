package io.baton.coordinator.resourcemanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.ids.AllocationId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlotCountsTest {
  private final SlotCounts counts = new SlotCounts();
  // what the resource manager has registered, to recount from
  private final List<RegisteredTaskManager> registered = new ArrayList<>();
  private final JobId job = JobId.random();

  private static TaskManagerId id(int n) {
    return new TaskManagerId(String.format("%032x", n));
  }

  private RegisteredTaskManager register(TaskManagerId id, int slots) {
    RegisteredTaskManager tm = new RegisteredTaskManager(id, "r", null, slots, 1, 1, 0);
    registered.removeIf(r -> r.id.equals(id));
    registered.add(tm);
    tm.onSlotsChanged(counts::update);
    counts.add(tm);
    return tm;
  }

  private void confirm(RegisteredTaskManager tm) {
    tm.confirmed = true;
    counts.update(tm);
  }

  private void unregister(RegisteredTaskManager tm) {
    registered.remove(tm);
    counts.remove(tm);
  }

  /** The counts as a pass over every TaskManager gives them, as the resource manager made them. */
  private void assertMatchesRecount() {
    assertThat(counts.totalSlots())
        .isEqualTo(registered.stream().mapToInt(RegisteredTaskManager::numberOfSlots).sum());
    assertThat(counts.freeSlots())
        .isEqualTo(registered.stream().mapToInt(RegisteredTaskManager::freeSlots).sum());
    assertThat(counts.freeConfirmedSlots())
        .isEqualTo(
            registered.stream()
                .filter(r -> r.confirmed)
                .mapToInt(RegisteredTaskManager::freeSlots)
                .sum());
    RegisteredTaskManager expected =
        registered.stream()
            .filter(r -> r.confirmed && r.freeSlots() > 0)
            .min(
                Comparator.comparingInt(RegisteredTaskManager::freeSlots)
                    .reversed()
                    .thenComparing(r -> r.id))
            .orElse(null);
    assertThat(counts.mostFree()).isSameAs(expected);
  }

  @Test
  void slotsGoToTheTaskManagerWithTheMostFreeThenTheSmallestId() {
    TaskManagerId a = id(0xa);
    TaskManagerId b = id(0xb);
    RegisteredTaskManager tmB = register(b, 3);
    RegisteredTaskManager tmA = register(a, 2);
    assertThat(counts.mostFree()).as("no TaskManager confirmed yet").isNull();
    confirm(tmA);
    confirm(tmB);

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      order.add(counts.mostFree().allocate(job).taskManagerId().toString());
      assertMatchesRecount();
    }

    assertThat(order)
        .containsExactly(b.toString(), a.toString(), b.toString(), a.toString(), b.toString());
    assertThat(counts.mostFree()).isNull();
    assertThat(counts.freeConfirmedSlots()).isZero();
    assertThat(counts.totalSlots()).isEqualTo(5);
  }

  @Test
  void countsFollowRegistrationsAllocationsFreesAndReservationsLikeARecount() {
    Random random = new Random(42);
    List<TaskManagerId> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(id(i));
    }
    List<AllocatedSlot> taken = new ArrayList<>();
    for (int step = 0; step < 3_000; step++) {
      int op = random.nextInt(7);
      if (op == 0 || registered.isEmpty()) {
        // registers, or registers again (replacing the earlier registration and its slots)
        TaskManagerId id = ids.get(random.nextInt(ids.size()));
        RegisteredTaskManager tm = register(id, 1 + random.nextInt(5));
        taken.removeIf(s -> s.taskManagerId().equals(id));
        if (random.nextBoolean()) {
          tm.reserve(job, AllocationId.random(), random.nextInt(tm.numberOfSlots()))
              .ifPresent(taken::add);
        }
      } else if (op == 1) {
        confirm(registered.get(random.nextInt(registered.size())));
      } else if (op == 2 || op == 3) {
        RegisteredTaskManager tm = counts.mostFree();
        if (tm != null) {
          taken.add(tm.allocate(job));
        }
      } else if (op == 4 && !taken.isEmpty()) {
        AllocatedSlot slot = taken.remove(random.nextInt(taken.size()));
        registered.stream()
            .filter(r -> r.id.equals(slot.taskManagerId()))
            .findFirst()
            .ifPresent(r -> r.free(slot));
      } else if (op == 5) {
        RegisteredTaskManager tm = registered.get(random.nextInt(registered.size()));
        unregister(tm);
        taken.removeIf(s -> s.taskManagerId().equals(tm.id));
      } else if (op == 6 && !registered.isEmpty()) {
        // a registration that is no longer counted changes: the counts stay as they are
        RegisteredTaskManager gone = registered.get(random.nextInt(registered.size()));
        unregister(gone);
        if (gone.freeSlots() > 0) {
          gone.allocate(job);
        }
        taken.removeIf(s -> s.taskManagerId().equals(gone.id));
      }
      assertMatchesRecount();
    }
  }
}
