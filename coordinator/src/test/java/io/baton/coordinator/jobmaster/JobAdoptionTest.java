package io.baton.coordinator.jobmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.baton.common.checkpoint.CheckpointNotice;
import io.baton.common.checkpoint.CheckpointTrigger;
import io.baton.common.concurrent.SingleThreadMainThreadExecutor;
import io.baton.common.config.CheckpointingOptions;
import io.baton.common.ids.ExecutionId;
import io.baton.coordinator.ManualClock;
import io.baton.coordinator.ManualMainThreadExecutor;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.JobEvent;
import io.baton.coordinator.status.JobStatus;
import io.baton.ha.CheckpointIdCounter;
import io.baton.ha.CheckpointPointer;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecord.RecordedExecution;
import io.baton.ha.LeaderStores;
import io.baton.ha.factory.HighAvailabilityServicesFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A new leader adopting a recovered job's running tasks: what it tells the tasks about the
 * checkpoints of the previous leader, where its checkpoint ids continue, and how the adoption (or
 * the restart instead) shows in the job's details, history, metric and deployment record.
 */
class JobAdoptionTest {
  private static final Duration RECONCILE_TIMEOUT = Duration.ofSeconds(10);

  private final ManualClock clock = new ManualClock(1_000);
  private final ManualMainThreadExecutor mainThread = new ManualMainThreadExecutor(clock);
  private final AdoptedJobFixture job = new AdoptedJobFixture();
  private JobMaster jobMaster;

  /**
   * The previous leader completed checkpoints 3 and 5 and triggered 6 and 7 (the counter stands at
   * 8), then died; this leader adopts attempt 2.
   */
  private DeploymentRecord adoptAfterCheckpoints(long nextId, int reconciliations)
      throws Exception {
    job.stores.completedCheckpointStore(job.jobId).add(pointer(3));
    job.stores.completedCheckpointStore(job.jobId).add(pointer(5));
    CheckpointIdCounter counter = job.stores.checkpointIdCounter(job.jobId);
    counter.start();
    counter.setCount(nextId);
    DeploymentRecord record = job.record(2, 500, reconciliations);
    jobMaster = job.recovering(mainThread, clock, Runnable::run, RECONCILE_TIMEOUT);
    jobMaster.start();
    mainThread.runAll();
    job.reportRunning(record.executions());
    mainThread.runAll();
    return record;
  }

  private static CheckpointPointer pointer(long id) {
    return new CheckpointPointer(id, "file:///checkpoints/chk-" + id, false, 400 + id);
  }

  private JobDetails details() throws Exception {
    CompletableFuture<JobDetails> f = jobMaster.requestDetails();
    mainThread.runAll();
    return f.get();
  }

  @Test
  void
      everyAdoptedTaskHearsTheLatestCompletedCheckpointAgainAndThePreviousLeadersUnfinishedOnesAborted()
          throws Exception {
    DeploymentRecord record = adoptAfterCheckpoints(8, 0);

    assertThat(details().status()).isEqualTo(JobStatus.RUNNING);
    List<ExecutionId> adopted = record.executions().stream().map(e -> e.executionId()).toList();
    List<CheckpointNotice> completed = new CopyOnWriteArrayList<>(job.tm1.completed);
    completed.addAll(job.tm2.completed);
    assertThat(completed).hasSize(8).allMatch(n -> n.checkpointId() == 5);
    assertThat(completed)
        .extracting(CheckpointNotice::executionId)
        .containsExactlyInAnyOrderElementsOf(adopted);
    List<CheckpointNotice> aborted = new CopyOnWriteArrayList<>(job.tm1.aborted);
    aborted.addAll(job.tm2.aborted);
    assertThat(aborted).hasSize(16);
    for (ExecutionId id : adopted) {
      assertThat(aborted)
          .filteredOn(n -> n.executionId().equals(id))
          .extracting(CheckpointNotice::checkpointId)
          .containsExactlyInAnyOrder(6L, 7L);
    }
  }

  @Test
  void theCheckpointIdsGoOnPastEveryIdThePreviousLeaderTriggered() throws Exception {
    adoptAfterCheckpoints(8, 0);

    assertThat(job.stores.checkpointIdCounter(job.jobId).get()).isEqualTo(8);
    CompletableFuture<String> savepoint =
        jobMaster.triggerSavepoint(Optional.of(URI.create("file:///savepoints/")), false);
    mainThread.runAll();

    assertThat(savepoint).isNotCompletedExceptionally();
    List<CheckpointTrigger> triggered = new CopyOnWriteArrayList<>(job.tm1.triggered);
    triggered.addAll(job.tm2.triggered);
    assertThat(triggered).isNotEmpty().allMatch(t -> t.checkpointId() == 8);
  }

  @Test
  void anAdoptedJobTakesItsFirstCheckpointAtOnceNotAnIntervalLater() throws Exception {
    job.checkpointing
        .set(CheckpointingOptions.INTERVAL, Duration.ofMinutes(10))
        .set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///checkpoints/");
    adoptAfterCheckpoints(8, 0);

    // the clock did not move: the output of the previous leader's last interval commits with
    // this checkpoint, ten minutes earlier than the interval would have it
    List<CheckpointTrigger> triggered = new CopyOnWriteArrayList<>(job.tm1.triggered);
    triggered.addAll(job.tm2.triggered);
    assertThat(triggered)
        .as("barriers injected at the sources")
        .isNotEmpty()
        .allMatch(t -> t.checkpointId() == 8);
  }

  @Test
  void aCounterBehindTheLatestCompletedCheckpointMovesPastItAndNothingIsAborted() throws Exception {
    adoptAfterCheckpoints(4, 0);

    assertThat(job.stores.checkpointIdCounter(job.jobId).get()).isEqualTo(6);
    assertThat(job.notices()).hasSize(8).containsOnly("complete 5");
  }

  @Test
  void theAdoptionIsCountedInTheHistoryAndTheMetricAndTheRecordIsSignedByTheNewLeader()
      throws Exception {
    DeploymentRecord record = adoptAfterCheckpoints(6, 2);

    JobDetails d = details();
    assertThat(d.reconciliations()).isEqualTo(3);
    assertThat(d.restarts()).isZero();
    assertThat(d.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(JobEvent.ADOPTED);
              assertThat(e.message()).isEqualTo("adopted 8 tasks from leader 0123456789ab");
              assertThat(e.timestamp()).isEqualTo(1_000);
            });
    assertThat(
            job.registry
                .get("baton.job.reconciliations")
                .tag("job_id", job.jobId.toString())
                .functionCounter()
                .count())
        .isEqualTo(3);
    DeploymentRecord rewritten = job.stores.deploymentRecordStore().get(job.jobId).orElseThrow();
    assertThat(rewritten.leader()).isEqualTo(AdoptedJobFixture.THIS_LEADER);
    assertThat(rewritten.reconciliations()).isEqualTo(3);
    assertThat(rewritten.executions()).isEqualTo(record.executions());
    assertThat(rewritten.attempt()).isEqualTo(2);
  }

  @Test
  void aRestartInsteadOfTheAdoptionSaysWhyAndFromWhereAndKeepsTheCount() throws Exception {
    DeploymentRecord record = job.record(2, 500, 2);
    jobMaster = job.recovering(mainThread, clock, Runnable::run, RECONCILE_TIMEOUT);
    jobMaster.start();
    mainThread.runAll();
    List<RecordedExecution> onTm1 =
        record.executions().stream().filter(e -> e.taskManagerId().equals(job.tm1.id)).toList();
    job.reportRunning(onTm1);
    mainThread.runAll();

    mainThread.advance(RECONCILE_TIMEOUT);
    mainThread.runAll();

    JobDetails d = details();
    assertThat(d.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(d.reconciliations()).isEqualTo(2);
    assertThat(d.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(JobEvent.NOT_ADOPTED);
              assertThat(e.message())
                  .startsWith(
                      "reconciliation: 3 of 8 subtasks were not reported within"
                          + " jobmanager.reconciliation.timeout (10000 ms): ")
                  .endsWith("; restarting from the beginning: no completed checkpoint");
            });
  }

  @Test
  void theAdoptionTouchesNoStoreOnTheJobMastersMainThread() throws Exception {
    List<String> onMainThread = new CopyOnWriteArrayList<>();
    AdoptedJobFixture guarded =
        new AdoptedJobFixture(
            offMainThread(
                LeaderStores.class,
                HighAvailabilityServicesFactory.inMemoryStores(),
                onMainThread));
    guarded.stores.completedCheckpointStore(guarded.jobId).add(pointer(5));
    guarded.stores.checkpointIdCounter(guarded.jobId).start();
    guarded.stores.checkpointIdCounter(guarded.jobId).setCount(7);
    DeploymentRecord record = guarded.record(2, 500, 0);
    SingleThreadMainThreadExecutor main =
        new SingleThreadMainThreadExecutor("JobMaster", "baton-jobmaster-" + guarded.jobId);
    ExecutorService io = Executors.newFixedThreadPool(2);
    try {
      JobMaster master = guarded.recovering(main, Clock.systemUTC(), io, RECONCILE_TIMEOUT);
      master.start();
      await().atMost(Duration.ofSeconds(10)).until(guarded::listening);
      guarded.reportRunning(record.executions());

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(master.requestDetails().get(5, TimeUnit.SECONDS).reconciliations())
                    .isEqualTo(1);
                assertThat(guarded.notices()).contains("complete 5", "abort 6");
                assertThat(guarded.stores.deploymentRecordStore().get(guarded.jobId))
                    .hasValueSatisfying(
                        r -> assertThat(r.leader()).isEqualTo(AdoptedJobFixture.THIS_LEADER));
              });
      assertThat(master.requestDetails().get(5, TimeUnit.SECONDS).status())
          .isEqualTo(JobStatus.RUNNING);
      assertThat(onMainThread).isEmpty();
    } finally {
      main.shutdown(Duration.ofSeconds(5));
      io.shutdownNow();
    }
  }

  /**
   * {@code target}, and every HA store it hands out, noting each call made on a job master's main
   * thread (baton-jobmaster-*) in {@code calls}.
   */
  private static <T> T offMainThread(Class<T> type, T target, List<String> calls) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (Thread.currentThread().getName().startsWith("baton-jobmaster-")) {
                calls.add(type.getSimpleName() + "." + method.getName());
              }
              Object result;
              try {
                result = method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              Class<?> returned = method.getReturnType();
              return returned.isInterface() && returned.getPackageName().equals("io.baton.ha")
                  ? offMainThread(cast(returned), result, calls)
                  : result;
            }));
  }

  @SuppressWarnings("unchecked")
  private static Class<Object> cast(Class<?> type) {
    return (Class<Object>) type;
  }
}
