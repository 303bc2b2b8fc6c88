package io.baton.taskmanager.task;

import static io.baton.taskmanager.task.CheckpointFixture.KEYED;
import static io.baton.taskmanager.task.CheckpointFixture.SOURCE;
import static io.baton.taskmanager.task.CheckpointFixture.feedRandom;
import static io.baton.taskmanager.task.CheckpointFixture.keyedHandles;
import static io.baton.taskmanager.task.CheckpointFixture.restoreStateFor;
import static io.baton.taskmanager.task.CheckpointFixture.sourceHandles;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.tuple.Tuple2;
import io.baton.common.rpc.CheckpointAck;
import io.baton.common.rpc.StateHandle;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.common.rpc.TaskState;
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
    List<CheckpointAck> acks = fixture.checkpointedRun(before, new HashMap<>(), 30);
    StateHandle damaged = keyedHandles(acks).get(0);
    Path file = Path.of(URI.create(damaged.getPath()));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(file, bytes);

    Pipeline after = fixture.pipeline(1, 2);
    TestDeployment deployment = after.deployment();
    RecordingListener listener = new RecordingListener();
    SubmitTaskRequest restoring =
        deployment.descriptor(KEYED, damaged.getSubtaskIndex()).toBuilder()
            .setRestoreCheckpointId(1)
            .setRestoreDirectory(directoryOf(acks))
            .addAllRestoreState(restoreStateFor(acks, damaged.getSubtaskIndex(), 2))
            .build();
    Task task = fixture.start(restoring, listener);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.FAILED);
    assertThat(listener.last().cause())
        .hasMessageContaining("state file " + damaged.getPath() + " is corrupt");
    assertThat(Recorder.list(after.sink.events())).isEmpty();
  }

  @Test
  void aHandleOutsideTheCheckpointDirectoryFailsTheTaskUnreadWithOneLine() throws Exception {
    Pipeline before = fixture.pipeline(1, 2);
    List<CheckpointAck> acks = fixture.checkpointedRun(before, new HashMap<>(), 30);
    StateHandle real = keyedHandles(acks).get(0);
    Path outside = Files.writeString(tmp.resolve("hostname"), "not state");
    String escape = directoryOf(acks) + "../../hostname";
    List<StateHandle> planted = new ArrayList<>();
    for (StateHandle h : restoreStateFor(acks, real.getSubtaskIndex(), 2)) {
      planted.add(h.getPath().equals(real.getPath()) ? h.toBuilder().setPath(escape).build() : h);
    }

    Pipeline after = fixture.pipeline(1, 2);
    RecordingListener listener = new RecordingListener();
    SubmitTaskRequest restoring =
        after.deployment().descriptor(KEYED, real.getSubtaskIndex()).toBuilder()
            .setRestoreCheckpointId(1)
            .setRestoreDirectory(directoryOf(acks))
            .addAllRestoreState(planted)
            .build();
    Task task = fixture.start(restoring, listener);

    assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.FAILED);
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
  private static String directoryOf(List<CheckpointAck> acks) {
    return Path.of(URI.create(keyedHandles(acks).get(0).getPath())).getParent().toUri().toString();
  }

  private void restoresRescaled(int before, int after) throws Exception {
    Map<String, Integer> expected = new HashMap<>();
    List<CheckpointAck> acks = fixture.checkpointedRun(fixture.pipeline(1, before), expected, 200);

    Pipeline restored = fixture.pipeline(1, after);
    TestDeployment deployment = restored.deployment();
    List<Task> keyedTasks = new ArrayList<>();
    for (int s = 0; s < after; s++) {
      keyedTasks.add(
          fixture.start(
              deployment.descriptor(KEYED, s).toBuilder()
                  .setRestoreCheckpointId(1)
                  .setRestoreDirectory(directoryOf(acks))
                  .addAllRestoreState(restoreStateFor(acks, s, after))
                  .build(),
              new RecordingListener()));
    }
    Task source =
        fixture.start(
            deployment.descriptor(SOURCE, 0).toBuilder()
                .setRestoreCheckpointId(1)
                .setRestoreDirectory(directoryOf(acks))
                .addAllRestoreState(sourceHandles(acks))
                .build(),
            new RecordingListener());
    feedRandom(restored.feed, expected, 100, new Random(after));
    FeedSource.end(restored.feed.id(), 0);

    assertThat(source.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.FINISHED);
    for (Task task : keyedTasks) {
      assertThat(task.terminationFuture().get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.FINISHED);
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
