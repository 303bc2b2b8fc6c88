package io.baton.coordinator.rest;

import io.baton.common.diagnostics.JvmFigures;
import io.baton.common.diagnostics.LogDirectory;
import io.baton.common.diagnostics.ProcessFigures;
import io.baton.common.diagnostics.ThreadDump;
import io.baton.common.rpc.DiagnosticsMessages;
import io.baton.common.rpc.DumpThreadsRequest;
import io.baton.common.rpc.DumpThreadsResponse;
import io.baton.common.rpc.GrpcServerFactory;
import io.baton.common.rpc.ListLogsRequest;
import io.baton.common.rpc.ListLogsResponse;
import io.baton.common.rpc.ReadLogRequest;
import io.baton.common.rpc.ReadLogResponse;
import io.baton.common.rpc.ReportProcessRequest;
import io.baton.common.rpc.ReportProcessResponse;
import io.baton.common.rpc.TaskManagerDiagnosticsServiceGrpc;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server answering TaskManagerDiagnosticsService as a TaskManager does, from a log
 * directory and with fixed JVM figures, or (silent) never answering at all.
 */
final class DiagnosticsServer
    extends TaskManagerDiagnosticsServiceGrpc.TaskManagerDiagnosticsServiceImplBase
    implements AutoCloseable {
  static final JvmFigures FIGURES =
      new JvmFigures(
          new JvmFigures.Memory(300, 600, 1024),
          new JvmFigures.Memory(70, 80, -1),
          50,
          -1,
          new JvmFigures.BufferPool(3, 4096, 4096),
          new JvmFigures.BufferPool(0, 0, 0),
          42,
          0.25,
          List.of(new JvmFigures.GarbageCollector("G1_Young_Generation", 7, 120)));

  private final LogDirectory logs;
  private final boolean silent;
  private final Server server;

  DiagnosticsServer(LogDirectory logs, boolean silent) {
    this.logs = logs;
    this.silent = silent;
    try {
      this.server =
          GrpcServerFactory.plaintext()
              .forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(this)
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void listLogs(ListLogsRequest request, StreamObserver<ListLogsResponse> responses) {
    if (!silent) {
      reply(responses, () -> DiagnosticsMessages.toProto(logs.listing()));
    }
  }

  @Override
  public void readLog(ReadLogRequest request, StreamObserver<ReadLogResponse> responses) {
    if (!silent) {
      reply(
          responses,
          () -> DiagnosticsMessages.toProto(logs.read(DiagnosticsMessages.fromProto(request))));
    }
  }

  @Override
  public void dumpThreads(
      DumpThreadsRequest request, StreamObserver<DumpThreadsResponse> responses) {
    if (!silent) {
      reply(responses, () -> DiagnosticsMessages.toProto(ThreadDump.ofThisJvm()));
    }
  }

  @Override
  public void reportProcess(
      ReportProcessRequest request, StreamObserver<ReportProcessResponse> responses) {
    if (!silent) {
      reply(responses, () -> DiagnosticsMessages.toProto(new ProcessFigures(FIGURES, 9250)));
    }
  }

  private interface Answer<T> {
    T get() throws IOException;
  }

  private static <T> void reply(StreamObserver<T> responses, Answer<T> answer) {
    try {
      responses.onNext(answer.get());
      responses.onCompleted();
    } catch (IOException e) {
      responses.onError(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
