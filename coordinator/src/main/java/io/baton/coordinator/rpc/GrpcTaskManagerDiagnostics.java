package io.baton.coordinator.rpc;

import com.google.common.util.concurrent.ListenableFuture;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.diagnostics.LogListing;
import io.baton.common.diagnostics.LogRead;
import io.baton.common.diagnostics.LogReadResult;
import io.baton.common.diagnostics.ProcessFigures;
import io.baton.common.diagnostics.ThreadDump;
import io.baton.common.rpc.CallFutures;
import io.baton.common.rpc.DiagnosticsMessages;
import io.baton.common.rpc.DumpThreadsRequest;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.rpc.ListLogsRequest;
import io.baton.common.rpc.ReportProcessRequest;
import io.baton.common.rpc.TaskManagerDiagnosticsServiceGrpc;
import io.baton.common.rpc.TaskManagerDiagnosticsServiceGrpc.TaskManagerDiagnosticsServiceFutureStub;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link TaskManagerDiagnostics} over gRPC: one short-lived channel per call (the dashboard asks a
 * few times a minute; a channel per TaskManager would outlive TaskManagers that left), closed when
 * the call ends, each call with the deadline given.
 */
public final class GrpcTaskManagerDiagnostics implements TaskManagerDiagnostics {
  // a log file's end is at most 1 MiB; gRPC's default of 4 MiB leaves room
  private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  private final GrpcChannelFactory channels;
  private final Duration deadline;

  public GrpcTaskManagerDiagnostics(GrpcChannelFactory channels, Duration deadline) {
    this.channels = channels;
    this.deadline = deadline;
  }

  @Override
  public CompletableFuture<LogListing> listLogs(RpcAddress taskManager) {
    return call(
        taskManager,
        "ListLogs",
        s -> s.listLogs(ListLogsRequest.getDefaultInstance()),
        DiagnosticsMessages::fromProto);
  }

  @Override
  public CompletableFuture<LogReadResult> readLog(RpcAddress taskManager, LogRead read) {
    return call(
        taskManager,
        "ReadLog",
        s -> s.readLog(DiagnosticsMessages.toProto(read)),
        DiagnosticsMessages::fromProto);
  }

  @Override
  public CompletableFuture<ThreadDump> dumpThreads(RpcAddress taskManager) {
    return call(
        taskManager,
        "DumpThreads",
        s -> s.dumpThreads(DumpThreadsRequest.getDefaultInstance()),
        DiagnosticsMessages::fromProto);
  }

  @Override
  public CompletableFuture<ProcessFigures> reportProcess(RpcAddress taskManager) {
    return call(
        taskManager,
        "ReportProcess",
        s -> s.reportProcess(ReportProcessRequest.getDefaultInstance()),
        DiagnosticsMessages::fromProto);
  }

  private <P, T> CompletableFuture<T> call(
      RpcAddress address,
      String name,
      Function<TaskManagerDiagnosticsServiceFutureStub, ListenableFuture<P>> rpc,
      Function<P, T> translate) {
    ManagedChannel channel;
    try {
      channel =
          channels
              .forAddress(address.host(), address.port())
              .maxInboundMessageSize(MAX_MESSAGE_BYTES)
              .build();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new TaskManagerCallException(
              TaskManagerCallException.Reason.UNREACHABLE, e.getMessage(), e));
    }
    CompletableFuture<T> answer;
    try {
      answer =
          CallFutures.toCompletable(
                  rpc.apply(
                      TaskManagerDiagnosticsServiceGrpc.newFutureStub(channel)
                          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)))
              .thenApply(translate);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer
        .handle(
            (value, error) -> {
              // the call ended either way: the channel has nothing left to carry
              channel.shutdown();
              if (error != null) {
                throw failure(name, error);
              }
              return value;
            })
        .toCompletableFuture();
  }

  private TaskManagerCallException failure(String call, Throwable error) {
    Throwable cause =
        error.getCause() != null && !(error instanceof StatusRuntimeException)
            ? error.getCause()
            : error;
    Status status = Status.fromThrowable(cause);
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED ->
          new TaskManagerCallException(
              TaskManagerCallException.Reason.TIMED_OUT,
              call + " got no answer within " + deadline.toMillis() + " ms",
              cause);
      case UNAVAILABLE ->
          new TaskManagerCallException(
              TaskManagerCallException.Reason.UNREACHABLE, call + ": " + describe(status), cause);
      default ->
          new TaskManagerCallException(
              TaskManagerCallException.Reason.FAILED, call + ": " + describe(status), cause);
    };
  }

  private static String describe(Status status) {
    return status.getDescription() != null
        ? status.getDescription()
        : status.getCode().toString()
            + (status.getCause() != null ? " (" + status.getCause() + ")" : "");
  }
}
