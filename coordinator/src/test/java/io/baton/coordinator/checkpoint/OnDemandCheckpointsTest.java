package io.baton.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.config.Configuration;
import io.baton.common.ids.JobId;
import io.baton.coordinator.ManualClock;
import io.baton.coordinator.ManualMainThreadExecutor;
import io.baton.ha.LeadershipLostException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class OnDemandCheckpointsTest {
  private final JobId jobId = JobId.random();
  private final ManualMainThreadExecutor mainThread =
      new ManualMainThreadExecutor(new ManualClock(0));
  private final RecordingCheckpoints checkpoints = new RecordingCheckpoints();

  @Test
  void aRequestWithRoomTriggersACheckpointInTheJobsDirectoryAndAnswersItsId() {
    CompletableFuture<Long> answer = onDemand("file:///cp").checkpoint();

    assertThat(checkpoints.triggered).containsExactly("file:/cp/" + jobId + "/chk-7");
    assertThat(answer).isNotDone();
    checkpoints.inFlight.get(0).complete("file:/cp/" + jobId + "/chk-7");
    assertThat(answer).isCompletedWithValue(7L);
  }

  @Test
  void aRequestWhileTheInFlightLimitIsReachedWaitsForTheOldestToEndEitherWay() {
    OnDemandCheckpoints onDemand = onDemand("file:///cp");
    CompletableFuture<Long> first = onDemand.checkpoint();
    checkpoints.full = true;
    CompletableFuture<Long> second = onDemand.checkpoint();
    CompletableFuture<Long> third = onDemand.checkpoint();
    mainThread.runAll();
    assertThat(checkpoints.triggered).as("triggered while full").hasSize(1);

    checkpoints.full = false;
    checkpoints.inFlight.get(0).completeExceptionally(new CheckpointException("declined"));
    mainThread.runAll();

    assertThat(first).isCompletedExceptionally();
    assertThat(checkpoints.triggered)
        .as("triggered once the oldest failed")
        .containsExactly(
            "file:/cp/" + jobId + "/chk-7",
            "file:/cp/" + jobId + "/chk-8",
            "file:/cp/" + jobId + "/chk-9");
    checkpoints.inFlight.get(1).complete("chk-8");
    checkpoints.inFlight.get(2).complete("chk-9");
    assertThat(second).isCompletedWithValue(8L);
    assertThat(third).isCompletedWithValue(9L);
  }

  @Test
  void withoutACheckpointDirectoryTheAnswerSaysWhichKeyToSet() {
    CompletableFuture<Long> answer = onDemand((String) null).checkpoint();

    assertThat(failure(answer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("job " + jobId + " has no checkpoint directory: set state.checkpoints.dir");
    assertThat(checkpoints.triggered).isEmpty();
  }

  @Test
  void tasksNotRunningRefuseCheckpointsAndSavepoints() {
    checkpoints.ready = false;
    OnDemandCheckpoints onDemand = onDemand("file:///cp");

    assertThat(failure(onDemand.checkpoint()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cannot take a checkpoint of job " + jobId + ": not all of its tasks are RUNNING");
    assertThat(failure(onDemand.savepoint(Optional.of(URI.create("file:///sp")))))
        .hasMessage(
            "cannot take a savepoint of job " + jobId + ": not all of its tasks are RUNNING");
    assertThat(checkpoints.triggered).isEmpty();
  }

  @Test
  void noIdMeansNoCheckpoint() {
    checkpoints.idFailure = new LeadershipLostException("latch node gone");

    assertThat(failure(onDemand("file:///cp").checkpoint()))
        .isInstanceOf(LeadershipLostException.class);
    assertThat(checkpoints.triggered).isEmpty();
  }

  @Test
  void aSavepointGoesToTheGivenDirectoryOrTheConfiguredOneUnderANameOfItsOwn() {
    Map<String, String> config = new HashMap<>();
    config.put("state.savepoints.dir", "file:///sp");
    OnDemandCheckpoints onDemand = onDemandWith(settings(config));

    onDemand.savepoint(Optional.empty());
    onDemand.savepoint(Optional.of(URI.create("file:///elsewhere")));

    assertThat(checkpoints.triggered)
        .satisfiesExactly(
            path ->
                assertThat(path)
                    .matches("file:/sp/savepoint-" + jobId.toString().substring(0, 6) + "-\\w{12}"),
            path -> assertThat(path).startsWith("file:/elsewhere/savepoint-"));
  }

  @Test
  void noSavepointWithoutADirectoryOrWhileAnAdoptionSettlesItsIds() {
    assertThat(failure(onDemand((String) null).savepoint(Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no savepoint directory: give one or set state.savepoints.dir");

    checkpoints.settling = true;
    assertThat(failure(onDemand("file:///cp").savepoint(Optional.of(URI.create("file:///sp")))))
        .hasMessage(
            "cannot take a savepoint of job "
                + jobId
                + " yet: a new leader adopted its tasks and is settling its checkpoint ids");
    assertThat(checkpoints.triggered).isEmpty();
  }

  private OnDemandCheckpoints onDemand(String checkpointsDir) {
    Map<String, String> config = new HashMap<>();
    if (checkpointsDir != null) {
      config.put("state.checkpoints.dir", checkpointsDir);
    }
    return onDemandWith(settings(config));
  }

  private OnDemandCheckpoints onDemandWith(CheckpointSettings settings) {
    return new OnDemandCheckpoints(jobId, settings, checkpoints, mainThread);
  }

  private static CheckpointSettings settings(Map<String, String> config) {
    return CheckpointSettings.of(Configuration.fromMap(config), Map.of());
  }

  private static Throwable failure(CompletableFuture<?> answer) {
    assertThat(answer).isCompletedExceptionally();
    try {
      answer.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  /** The coordinator's side: ids from 7 on, each trigger recorded with its directory. */
  private static final class RecordingCheckpoints implements OnDemandCheckpoints.Checkpoints {
    final List<String> triggered = new ArrayList<>();
    final List<CompletableFuture<String>> inFlight = new ArrayList<>();
    boolean ready = true;
    boolean settling;
    boolean full;
    IOException idFailure;
    long nextId = 7;

    @Override
    public boolean tasksReady() {
      return ready;
    }

    @Override
    public boolean settlingAdoption() {
      return settling;
    }

    @Override
    public Optional<CompletableFuture<?>> oldestInFlightWhenFull() {
      return full ? Optional.of(inFlight.get(0)) : Optional.empty();
    }

    @Override
    public long nextId() throws IOException {
      if (idFailure != null) {
        throw idFailure;
      }
      return nextId++;
    }

    @Override
    public CompletableFuture<String> trigger(long id, URI directory, boolean savepoint) {
      triggered.add(directory.toString());
      CompletableFuture<String> completion = new CompletableFuture<>();
      inFlight.add(completion);
      return completion;
    }
  }
}
