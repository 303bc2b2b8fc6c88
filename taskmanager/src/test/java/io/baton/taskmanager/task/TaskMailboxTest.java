package io.baton.taskmanager.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.execution.ExecutionState;
import io.baton.common.ids.ExecutionId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Mails reach an idle task at once: posting one wakes the task's inputs. */
class TaskMailboxTest {
  private final TaskLifecycle lifecycle =
      new TaskLifecycle((id, state, cause) -> {}, ExecutionId.random(), "sink (1/1)");
  private final TaskMailbox mailbox = new TaskMailbox(lifecycle, Thread.currentThread());

  @Test
  void postingAMailWakesTheInputsAndTheMailRunsOnTheNextTurn() throws Exception {
    AtomicInteger wakeUps = new AtomicInteger();
    List<String> ran = new ArrayList<>();
    mailbox.wakeInputsWith(wakeUps::incrementAndGet);

    assertThat(mailbox.post(() -> ran.add("checkpoint 7 complete"))).isTrue();

    assertThat(wakeUps).hasValue(1);
    assertThat(ran).isEmpty();
    mailbox.processMail();
    assertThat(ran).containsExactly("checkpoint 7 complete");
  }

  @Test
  void anEndedTaskTakesNoMailAndIsNotWoken() {
    AtomicInteger wakeUps = new AtomicInteger();
    mailbox.wakeInputsWith(wakeUps::incrementAndGet);
    lifecycle.set(ExecutionState.CANCELING);

    assertThat(mailbox.post(() -> {})).isFalse();
    assertThat(wakeUps).hasValue(0);
  }
}
