package io.baton.taskmanager.task;

import static io.baton.taskmanager.task.CheckpointFixture.KEYED;
import static io.baton.taskmanager.task.CheckpointFixture.SOURCE;
import static io.baton.taskmanager.task.CheckpointFixture.feedRandom;
import static io.baton.taskmanager.task.CheckpointFixture.keyedHandles;
import static io.baton.taskmanager.task.CheckpointFixture.restoreStateFor;
import static io.baton.taskmanager.task.CheckpointFixture.sourceHandles;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.tuple.Tuple2;
import io.baton.common.checkpoint.CheckpointAcknowledgement;
import io.baton.common.checkpoint.StateFileHandle;
import io.baton.common.deployment.TaskDeployment;
import io.baton.common.deployment.TaskRestore;
import io.baton.common.execution.ExecutionState;
import io.baton.taskmanager.task.CheckpointFixture.Pipeline;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks restoring from checkpoint files: rescaled, or from a damaged file. */
class TaskRestoreTest {
  @TempDir Path tmp;

  private CheckpointFixture fixture;

  @BeforeEach
  void createFixture() {
    fixture = new CheckpointFixture(tmp);
  }

  @AfterEach
  void stopTasks() throws Exception {
    fixture.close();
  }

  @Test
  void keyedStateTakenAtParallelismFourIsRestoredAtParallelismTwo() throws Exception {
    restoresRescaled(4, 2);
  }

  @Test
  void keyedStateTakenAtParallelismTwoIsRestoredAtParallelismFour() throws Exception {
    restoresRescaled(2, 4);
  }

  @Test
  void aCorruptStateFileFailsTheTaskNamingTheFile() throws Exception {
    Pipeline before = fixture.pipeline(1, 2);
    List<CheckpointAcknowledgement> acks = fixture.checkpointedRun(before, new HashMap<>(), 30);
    StateFileHandle damaged = keyedHandles(acks).get(0);
    Path file = Path.of(URI.create(damaged.path()));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(file, bytes);

    Pipeline after = fixture.pipeline(1, 2);
    TestDeployment deployment = after.deployment();
    RecordingListener listener = new RecordingListener();
    TaskDeployment restoring =
        deployment
            .descriptor(KEYED, damaged.subtaskIndex())
            .withRestore(
                new TaskRestore(
                    1, restoreStateFor(acks, damaged.subtaskIndex(), 2), directoryOf(acks)));
    Task task = fixture.start(restoring, listener);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(ExecutionState.FAILED);
    assertThat(listener.last().cause())
        .hasMessageContaining("state file " + damaged.path() + " is corrupt");
    assertThat(Recorder.list(after.sink.events())).isEmpty();
  }

  @Test
  void aHandleOutsideTheCheckpointDirectoryFailsTheTaskUnreadWithOneLine() throws Exception {
    Pipeline before = fixture.pipeline(1, 2);
    List<CheckpointAcknowledgement> acks = fixture.checkpointedRun(before, new HashMap<>(), 30);
    StateFileHandle real = keyedHandles(acks).get(0);
    Path outside = Files.writeString(tmp.resolve("hostname"), "not state");
    String escape = directoryOf(acks) + "../../hostname";
    List<StateFileHandle> planted = new ArrayList<>();
    for (StateFileHandle h : restoreStateFor(acks, real.subtaskIndex(), 2)) {
      planted.add(
          h.path().equals(real.path())
              ? new StateFileHandle(
                  escape,
                  h.sizeBytes(),
                  h.checksum(),
                  h.keyGroupStart(),
                  h.keyGroupEnd(),
                  h.operatorIndex(),
                  h.kind(),
                  h.operatorUid(),
                  h.subtaskIndex(),
                  h.parallelism())
              : h);
    }

    Pipeline after = fixture.pipeline(1, 2);
    RecordingListener listener = new RecordingListener();
    TaskDeployment restoring =
        after
            .deployment()
            .descriptor(KEYED, real.subtaskIndex())
            .withRestore(new TaskRestore(1, planted, directoryOf(acks)));
    Task task = fixture.start(restoring, listener);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(ExecutionState.FAILED);
    assertThat(listener.last().cause())
        .hasMessageContaining("a state handle of checkpoint 1 names " + escape)
        .hasMessageContaining("outside its checkpoint directory file:")
        .hasMessageContaining("/chk-1/: refused, neither read nor deleted")
        .message()
        .doesNotContain("\n");
    assertThat(outside).hasContent("not state");
    assertThat(Recorder.list(after.sink.events())).isEmpty();
  }

  /** The chk- directory the handles of {@code acks} lie in, as the JobManager sends it. */
  private static String directoryOf(List<CheckpointAcknowledgement> acks) {
    return Path.of(URI.create(keyedHandles(acks).get(0).path())).getParent().toUri().toString();
  }

  private void restoresRescaled(int before, int after) throws Exception {
    Map<String, Integer> expected = new HashMap<>();
    List<CheckpointAcknowledgement> acks =
        fixture.checkpointedRun(fixture.pipeline(1, before), expected, 200);

    Pipeline restored = fixture.pipeline(1, after);
    TestDeployment deployment = restored.deployment();
    List<Task> keyedTasks = new ArrayList<>();
    for (int s = 0; s < after; s++) {
      keyedTasks.add(
          fixture.start(
              deployment
                  .descriptor(KEYED, s)
                  .withRestore(
                      new TaskRestore(1, restoreStateFor(acks, s, after), directoryOf(acks))),
              new RecordingListener()));
    }
    Task source =
        fixture.start(
            deployment
                .descriptor(SOURCE, 0)
                .withRestore(new TaskRestore(1, sourceHandles(acks), directoryOf(acks))),
            new RecordingListener());
    feedRandom(restored.feed, expected, 100, new Random(after));
    FeedSource.end(restored.feed.id(), 0);

    assertThat(source.terminationFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(ExecutionState.FINISHED);
    for (Task task : keyedTasks) {
      assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS))
          .isEqualTo(ExecutionState.FINISHED);
    }
    Map<String, Integer> totals = new HashMap<>();
    for (Object record : Recorder.list(restored.sink.records())) {
      @SuppressWarnings("unchecked")
      Tuple2<String, Integer> t = (Tuple2<String, Integer>) record;
      if (t.f0().startsWith("total ")) {
        totals.put(t.f0().substring("total ".length()), t.f1());
      }
    }
    assertThat(totals).isEqualTo(expected);
    assertThat(Recorder.list(restored.feed.restored())).containsExactly("same 0:200");
    assertThat(Recorder.list(restored.sink.events()))
        .filteredOn(e -> e.toString().startsWith("restored"))
        .hasSize(after)
        .allSatisfy(e -> assertThat(e.toString()).startsWith("restored rescaled [0:"));
  }
}
