package io.baton.taskmanager.rpc;

import io.baton.common.diagnostics.JvmFigures;
import io.baton.common.diagnostics.LogDirectory;
import io.baton.common.diagnostics.LogRead;
import io.baton.common.diagnostics.LogReadResult;
import io.baton.common.diagnostics.ProcessFigures;
import io.baton.common.diagnostics.ThreadDump;
import io.baton.common.rpc.DiagnosticsMessages;
import io.baton.common.rpc.DumpThreadsRequest;
import io.baton.common.rpc.DumpThreadsResponse;
import io.baton.common.rpc.ListLogsRequest;
import io.baton.common.rpc.ListLogsResponse;
import io.baton.common.rpc.ReadLogRequest;
import io.baton.common.rpc.ReadLogResponse;
import io.baton.common.rpc.ReportProcessRequest;
import io.baton.common.rpc.ReportProcessResponse;
import io.baton.common.rpc.TaskManagerDiagnosticsServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves TaskManagerDiagnosticsService: this TaskManager's log files (only those directly in its
 * log directory, at most {@link LogDirectory#MAX_READ_BYTES} of a file's end), its threads and its
 * JVM's figures, for the JobManager's REST API. Reads only, answered on gRPC's own threads: none
 * touches the TaskExecutor's state, so none waits for its main thread.
 */
public final class TaskManagerDiagnosticsRpcService
    extends TaskManagerDiagnosticsServiceGrpc.TaskManagerDiagnosticsServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManagerDiagnosticsRpcService.class);

  private final String taskManagerId;
  private final LogDirectory logs;
  private final IntSupplier metricsPort;

  /**
   * @param logs this TaskManager's log directory
   * @param metricsPort the port it serves {@code /metrics} on, -1 for none (known only once the
   *     metrics endpoint started, after the RPC server)
   */
  public TaskManagerDiagnosticsRpcService(
      String taskManagerId, LogDirectory logs, IntSupplier metricsPort) {
    this.taskManagerId = taskManagerId;
    this.logs = logs;
    this.metricsPort = metricsPort;
  }

  @Override
  public void listLogs(ListLogsRequest request, StreamObserver<ListLogsResponse> responses) {
    try {
      reply(responses, DiagnosticsMessages.toProto(logs.listing()));
    } catch (IOException e) {
      fail(responses, "cannot list the log directory", e);
    }
  }

  @Override
  public void readLog(ReadLogRequest request, StreamObserver<ReadLogResponse> responses) {
    LogRead read;
    try {
      read = DiagnosticsMessages.fromProto(request);
    } catch (IllegalArgumentException malformed) {
      responses.onError(
          Status.INVALID_ARGUMENT
              .withDescription("rejected: " + malformed.getMessage())
              .asRuntimeException());
      return;
    }
    try {
      LogReadResult result = logs.read(read);
      if (read.which() == LogRead.Which.NAMED && result.tail().isEmpty()) {
        LOG.info(
            "TaskManager {} served no log file for the name {} (not a file of its log directory)",
            taskManagerId,
            read.name());
      }
      reply(responses, DiagnosticsMessages.toProto(result));
    } catch (IOException e) {
      fail(responses, "cannot read log file " + read.which() + " " + read.name(), e);
    }
  }

  @Override
  public void dumpThreads(
      DumpThreadsRequest request, StreamObserver<DumpThreadsResponse> responses) {
    reply(responses, DiagnosticsMessages.toProto(ThreadDump.ofThisJvm()));
  }

  @Override
  public void reportProcess(
      ReportProcessRequest request, StreamObserver<ReportProcessResponse> responses) {
    reply(
        responses,
        DiagnosticsMessages.toProto(
            new ProcessFigures(JvmFigures.ofThisJvm(), metricsPort.getAsInt())));
  }

  private static <T> void reply(StreamObserver<T> responses, T response) {
    responses.onNext(response);
    responses.onCompleted();
  }

  private void fail(StreamObserver<?> responses, String what, IOException e) {
    LOG.warn("TaskManager {} {}: {}", taskManagerId, what, e.toString(), e);
    responses.onError(
        Status.INTERNAL
            .withDescription(what + ": " + e.getMessage())
            .withCause(e)
            .asRuntimeException());
  }
}
