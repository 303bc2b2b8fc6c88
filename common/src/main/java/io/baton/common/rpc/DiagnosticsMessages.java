package io.baton.common.rpc;

import com.google.protobuf.ByteString;
import io.baton.common.diagnostics.JvmFigures;
import io.baton.common.diagnostics.LogFileInfo;
import io.baton.common.diagnostics.LogListing;
import io.baton.common.diagnostics.LogRead;
import io.baton.common.diagnostics.LogReadResult;
import io.baton.common.diagnostics.LogTail;
import io.baton.common.diagnostics.ProcessFigures;
import io.baton.common.diagnostics.ThreadDump;
import java.util.Optional;

/**
 * Translates the TaskManager's diagnostics (log files, thread dump, JVM figures) between Baton's
 * types and the protocol's.
 */
public final class DiagnosticsMessages {
  private DiagnosticsMessages() {}

  public static ListLogsResponse toProto(LogListing listing) {
    ListLogsResponse.Builder builder =
        ListLogsResponse.newBuilder().setHasLogFile(listing.hasLogFile());
    for (LogFileInfo file : listing.files()) {
      builder.addFiles(
          LogFileEntry.newBuilder()
              .setName(file.name())
              .setSizeBytes(file.size())
              .setMtimeMs(file.mtime()));
    }
    return builder.build();
  }

  public static LogListing fromProto(ListLogsResponse response) {
    return new LogListing(
        response.getHasLogFile(),
        response.getFilesList().stream()
            .map(f -> new LogFileInfo(f.getName(), f.getSizeBytes(), f.getMtimeMs()))
            .toList());
  }

  public static ReadLogRequest toProto(LogRead read) {
    return ReadLogRequest.newBuilder()
        .setWhich(
            switch (read.which()) {
              case LOG -> ReadLogRequest.Which.LOG;
              case STDOUT -> ReadLogRequest.Which.STDOUT;
              case NAMED -> ReadLogRequest.Which.NAMED;
            })
        .setName(read.name())
        .setMaxBytes(read.maxBytes())
        .build();
  }

  /**
   * @throws IllegalArgumentException for a request that names no kind of file
   */
  public static LogRead fromProto(ReadLogRequest request) {
    LogRead.Which which =
        switch (request.getWhich()) {
          case LOG -> LogRead.Which.LOG;
          case STDOUT -> LogRead.Which.STDOUT;
          case NAMED -> LogRead.Which.NAMED;
          default ->
              throw new IllegalArgumentException(
                  "ReadLog names no file kind (" + request.getWhichValue() + ")");
        };
    int maxBytes = (int) Math.max(0, Math.min(Integer.MAX_VALUE, request.getMaxBytes()));
    return new LogRead(which, request.getName(), maxBytes);
  }

  public static ReadLogResponse toProto(LogReadResult result) {
    ReadLogResponse.Builder builder =
        ReadLogResponse.newBuilder()
            .setHasLogFile(result.hasLogFile())
            .setFound(result.tail().isPresent());
    result.tail().ifPresent(t -> builder.setName(t.name()).setTail(ByteString.copyFrom(t.bytes())));
    return builder.build();
  }

  public static LogReadResult fromProto(ReadLogResponse response) {
    return new LogReadResult(
        response.getHasLogFile(),
        response.getFound()
            ? Optional.of(new LogTail(response.getName(), response.getTail().toByteArray()))
            : Optional.empty());
  }

  public static DumpThreadsResponse toProto(ThreadDump dump) {
    DumpThreadsResponse.Builder builder = DumpThreadsResponse.newBuilder();
    for (ThreadDump.Entry entry : dump.threads()) {
      builder.addThreads(
          ThreadDumpEntry.newBuilder()
              .setThreadName(entry.threadName())
              .setStringifiedThreadInfo(entry.stringifiedThreadInfo()));
    }
    return builder.build();
  }

  public static ThreadDump fromProto(DumpThreadsResponse response) {
    return new ThreadDump(
        response.getThreadsList().stream()
            .map(t -> new ThreadDump.Entry(t.getThreadName(), t.getStringifiedThreadInfo()))
            .toList());
  }

  public static ReportProcessResponse toProto(ProcessFigures figures) {
    JvmFigures jvm = figures.jvm();
    ReportProcessResponse.Builder builder =
        ReportProcessResponse.newBuilder()
            .setHeap(toProto(jvm.heap()))
            .setNonHeap(toProto(jvm.nonHeap()))
            .setMetaspaceUsed(jvm.metaspaceUsed())
            .setMetaspaceMax(jvm.metaspaceMax())
            .setDirect(toProto(jvm.direct()))
            .setMapped(toProto(jvm.mapped()))
            .setThreads(jvm.threads())
            .setCpuLoad(jvm.cpuLoad())
            .setMetricsPort(figures.metricsPort());
    for (JvmFigures.GarbageCollector gc : jvm.garbageCollectors()) {
      builder.addGarbageCollectors(
          GarbageCollectorFigures.newBuilder()
              .setName(gc.name())
              .setCount(gc.count())
              .setTimeMs(gc.timeMillis()));
    }
    return builder.build();
  }

  public static ProcessFigures fromProto(ReportProcessResponse response) {
    return new ProcessFigures(
        new JvmFigures(
            fromProto(response.getHeap()),
            fromProto(response.getNonHeap()),
            response.getMetaspaceUsed(),
            response.getMetaspaceMax(),
            fromProto(response.getDirect()),
            fromProto(response.getMapped()),
            response.getThreads(),
            response.getCpuLoad(),
            response.getGarbageCollectorsList().stream()
                .map(
                    gc ->
                        new JvmFigures.GarbageCollector(
                            gc.getName(), gc.getCount(), gc.getTimeMs()))
                .toList()),
        response.getMetricsPort());
  }

  private static MemoryFigures toProto(JvmFigures.Memory memory) {
    return MemoryFigures.newBuilder()
        .setUsed(memory.used())
        .setCommitted(memory.committed())
        .setMax(memory.max())
        .build();
  }

  private static JvmFigures.Memory fromProto(MemoryFigures memory) {
    return new JvmFigures.Memory(memory.getUsed(), memory.getCommitted(), memory.getMax());
  }

  private static BufferPoolFigures toProto(JvmFigures.BufferPool pool) {
    return BufferPoolFigures.newBuilder()
        .setCount(pool.count())
        .setUsed(pool.used())
        .setCapacity(pool.capacity())
        .build();
  }

  private static JvmFigures.BufferPool fromProto(BufferPoolFigures pool) {
    return new JvmFigures.BufferPool(pool.getCount(), pool.getUsed(), pool.getCapacity());
  }
}
