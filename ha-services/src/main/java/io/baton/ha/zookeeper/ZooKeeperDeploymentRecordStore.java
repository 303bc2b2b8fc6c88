package io.baton.ha.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.ids.AllocationId;
import io.baton.common.ids.ExecutionId;
import io.baton.common.ids.JobId;
import io.baton.common.ids.TaskManagerId;
import io.baton.ha.DeploymentRecord;
import io.baton.ha.DeploymentRecord.RecordedExecution;
import io.baton.ha.DeploymentRecordStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployment records under {@code <cluster>/deployments/<jobId>}, each pointing to a JSON file
 * (rule 1: file first, then the fenced pointer; rule 6: pointer first on removal; rule 7: the
 * record is input and is checked before anyone trusts it).
 */
final class ZooKeeperDeploymentRecordStore implements DeploymentRecordStore {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperDeploymentRecordStore.class);

  private final FilePointerStore store;
  private final ObjectMapper json;

  ZooKeeperDeploymentRecordStore(FilePointerStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /**
   * The file's format; version 1. {@code leader} and {@code reconciliations} may be missing (a
   * record no leader signed, never adopted).
   */
  record DeploymentFile(
      int version,
      String jobId,
      int attempt,
      List<ExecutionEntry> executions,
      String leader,
      int reconciliations) {
    static DeploymentFile of(DeploymentRecord record) {
      return new DeploymentFile(
          1,
          record.jobId().value(),
          record.attempt(),
          record.executions().stream().map(ExecutionEntry::of).toList(),
          record.leader(),
          record.reconciliations());
    }

    DeploymentRecord toRecord(JobId expected) {
      if (version != 1) {
        throw new IllegalArgumentException("unknown deployment record format version " + version);
      }
      JobId recorded = new JobId(jobId);
      if (!recorded.equals(expected)) {
        throw new IllegalArgumentException("it records job " + recorded + ", not " + expected);
      }
      if (executions == null) {
        throw new IllegalArgumentException("it has no executions");
      }
      return new DeploymentRecord(
          recorded,
          attempt,
          executions.stream().map(ExecutionEntry::toExecution).toList(),
          leader,
          reconciliations);
    }
  }

  /** One execution in the file. */
  record ExecutionEntry(
      int vertexId,
      int subtaskIndex,
      String executionId,
      int attempt,
      String taskManagerId,
      String allocationId,
      int slotIndex,
      long startTime) {
    static ExecutionEntry of(RecordedExecution e) {
      return new ExecutionEntry(
          e.vertexId(),
          e.subtaskIndex(),
          e.executionId().value(),
          e.attempt(),
          e.taskManagerId().value(),
          e.allocationId().value(),
          e.slotIndex(),
          e.startTime());
    }

    RecordedExecution toExecution() {
      return new RecordedExecution(
          vertexId,
          subtaskIndex,
          new ExecutionId(executionId),
          attempt,
          new TaskManagerId(taskManagerId),
          new AllocationId(allocationId),
          slotIndex,
          startTime);
    }
  }

  @Override
  public void put(DeploymentRecord record) throws IOException {
    String name = record.jobId().value();
    store.put(name, out -> json.writeValue(out, DeploymentFile.of(record)));
    LOG.debug(
        "Job {}: deployment of attempt {} ({} executions) recorded at {}",
        record.jobId(),
        record.attempt(),
        record.executions().size(),
        store.pathOf(name));
  }

  @Override
  public Optional<DeploymentRecord> get(JobId jobId) {
    String name = jobId.value();
    try {
      return store.get(name, in -> json.readValue(in, DeploymentFile.class).toRecord(jobId));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Job {}: ignoring the deployment record at {}, so its tasks are not adopted: {}",
          jobId,
          store.pathOf(name),
          e.getMessage(),
          e);
      return Optional.empty();
    }
  }

  @Override
  public void remove(JobId jobId) throws IOException {
    if (store.remove(jobId.value())) {
      LOG.debug("Job {}: deployment record {} removed", jobId, store.pathOf(jobId.value()));
    }
  }
}
