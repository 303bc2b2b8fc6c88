package io.baton.taskmanager.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.diagnostics.LogDirectory;
import io.baton.common.rpc.DumpThreadsRequest;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.rpc.GrpcServerFactory;
import io.baton.common.rpc.ListLogsRequest;
import io.baton.common.rpc.ListLogsResponse;
import io.baton.common.rpc.LogFileEntry;
import io.baton.common.rpc.ReadLogRequest;
import io.baton.common.rpc.ReadLogResponse;
import io.baton.common.rpc.ReportProcessRequest;
import io.baton.common.rpc.ReportProcessResponse;
import io.baton.common.rpc.TaskManagerDiagnosticsServiceGrpc;
import io.baton.common.rpc.TaskManagerDiagnosticsServiceGrpc.TaskManagerDiagnosticsServiceBlockingStub;
import io.baton.common.rpc.ThreadDumpEntry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The diagnostics a TaskManager serves over gRPC, read through a real server and channel. */
class TaskManagerDiagnosticsRpcServiceTest {
  @TempDir Path root;
  private Server server;
  private ManagedChannel channel;
  private Path logs;

  @BeforeEach
  void startServer() throws Exception {
    logs = Files.createDirectories(root.resolve("log"));
    Files.writeString(logs.resolve("tm.log"), "INFO started\nINFO the last line\n");
    Files.writeString(root.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(logs.resolve("link.log"), root.resolve("secret.txt"));
    server =
        GrpcServerFactory.plaintext()
            .forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new TaskManagerDiagnosticsRpcService(
                    "tm-1", new LogDirectory(Optional.of(logs.resolve("tm.log"))), () -> 9250))
            .build()
            .start();
    channel = GrpcChannelFactory.plaintext().forAddress("127.0.0.1", server.getPort()).build();
  }

  @AfterEach
  void stopServer() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private TaskManagerDiagnosticsServiceBlockingStub stub() {
    return TaskManagerDiagnosticsServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void listsAndReadsItsLogFilesAndNothingOutsideTheLogDirectory() {
    ListLogsResponse listing = stub().listLogs(ListLogsRequest.getDefaultInstance());
    assertThat(listing.getHasLogFile()).isTrue();
    assertThat(listing.getFilesList()).extracting(LogFileEntry::getName).containsExactly("tm.log");

    ReadLogResponse log =
        stub()
            .readLog(
                ReadLogRequest.newBuilder()
                    .setWhich(ReadLogRequest.Which.LOG)
                    .setMaxBytes(19)
                    .build());
    assertThat(log.getFound()).isTrue();
    assertThat(log.getTail().toStringUtf8()).isEqualTo("INFO the last line\n");

    for (String hostile : new String[] {"../secret.txt", "/etc/passwd", "link.log", ".."}) {
      ReadLogResponse refused =
          stub()
              .readLog(
                  ReadLogRequest.newBuilder()
                      .setWhich(ReadLogRequest.Which.NAMED)
                      .setName(hostile)
                      .setMaxBytes(1 << 20)
                      .build());
      assertThat(refused.getHasLogFile()).as(hostile).isTrue();
      assertThat(refused.getFound()).as(hostile).isFalse();
      assertThat(refused.getTail().isEmpty()).as(hostile).isTrue();
    }
  }

  @Test
  void aReadNamingNoKindOfFileIsRejectedInOneLine() {
    assertThatThrownBy(() -> stub().readLog(ReadLogRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessage("INVALID_ARGUMENT: rejected: ReadLog names no file kind (0)");
  }

  @Test
  void itsThreadDumpNamesItsThreadsAndItsReportCarriesItsMetricsPort() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread task = new Thread(() -> awaitQuietly(release), "events (1/2)#0");
    task.start();
    try {
      assertThat(stub().dumpThreads(DumpThreadsRequest.getDefaultInstance()).getThreadsList())
          .extracting(ThreadDumpEntry::getThreadName)
          .contains("events (1/2)#0");
    } finally {
      release.countDown();
      task.join(10_000);
    }
    ReportProcessResponse report = stub().reportProcess(ReportProcessRequest.getDefaultInstance());
    assertThat(report.getMetricsPort()).isEqualTo(9250);
    assertThat(report.getHeap().getMax()).isPositive();
    assertThat(report.getGarbageCollectorsList()).isNotEmpty();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
