package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.baton.common.cluster.RpcAddress;
import io.baton.common.diagnostics.JvmFigures;
import io.baton.common.diagnostics.LogDirectory;
import io.baton.common.diagnostics.LogListing;
import io.baton.common.diagnostics.LogRead;
import io.baton.common.diagnostics.LogReadResult;
import io.baton.common.diagnostics.ProcessFigures;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.rest.ResponseBodies.TaskManager;
import io.baton.coordinator.rpc.TaskManagerDiagnostics;
import io.baton.coordinator.status.TaskManagerDetails;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /taskmanagers/{id}} in Flink's shapes: its details ({@code TaskManagerDetailsInfo}) and
 * {@code /metrics} from what it reports with its heartbeats and, asked through {@link
 * TaskManagerDiagnostics}, its JVM's figures; its {@code /logs}, {@code /logs/{name}}, {@code
 * /log}, {@code /stdout} and {@code /thread-dump} read from the TaskManager itself, the same shapes
 * the JobManager's own pages have. A TaskManager that does not answer in time is a 504, one that
 * cannot be reached a 503, each one line naming it.
 */
final class TaskManagerHandlers {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final DispatcherGateway dispatcher;
  private final DispatcherCalls calls;
  private final TaskManagerCalls taskManagerCalls;
  private final TaskManagerDiagnostics diagnostics;
  private final ObjectMapper json;

  TaskManagerHandlers(
      DispatcherGateway dispatcher,
      DispatcherCalls calls,
      TaskManagerCalls taskManagerCalls,
      TaskManagerDiagnostics diagnostics,
      ObjectMapper json) {
    this.dispatcher = dispatcher;
    this.calls = calls;
    this.taskManagerCalls = taskManagerCalls;
    this.diagnostics = diagnostics;
    this.json = json;
  }

  void details(Context ctx) {
    TaskManagerDetails tm = taskManager(ctx);
    ObjectNode body = json.valueToTree(TaskManager.of(tm));
    // the details page stays up for a TaskManager too busy to answer: heartbeat figures then
    Optional<ProcessFigures> figures = taskManagerCalls.figuresIfAnswered(tm, address(tm), ctx);
    body.put("jmxPort", -1);
    body.put("blocked", false);
    // Baton's addition: where the TaskManager serves Prometheus metrics (-1: nowhere)
    body.put("metricsPort", figures.map(ProcessFigures::metricsPort).orElse(-1));
    Map<String, Object> total = resources(tm.cpuCores(), tm.heapMax());
    body.set("totalResource", json.valueToTree(total));
    body.set("freeResource", json.valueToTree(total));
    Map<String, Object> memory = new LinkedHashMap<>();
    for (String key :
        List.of(
            "frameworkHeap",
            "taskHeap",
            "frameworkOffHeap",
            "taskOffHeap",
            "networkMemory",
            "managedMemory",
            "jvmMetaspace",
            "jvmOverhead",
            "totalFlinkMemory",
            "totalProcessMemory")) {
      memory.put(key, 0L);
    }
    // a Baton TaskManager has one heap for everything: Flink's finer memory model does not apply
    memory.put("taskHeap", tm.heapMax());
    memory.put("totalFlinkMemory", tm.heapMax());
    memory.put("totalProcessMemory", tm.heapMax());
    figures.ifPresent(f -> memory.put("jvmMetaspace", Math.max(0, f.jvm().metaspaceMax())));
    body.set("memoryConfiguration", json.valueToTree(memory));
    body.set("allocatedSlots", json.createArrayNode());
    body.set("metrics", json.valueToTree(metrics(tm, figures.map(ProcessFigures::jvm))));
    ctx.json(body);
  }

  /** Flink's metric list ({@code [{"id"}]}) or values ({@code ?get=a,b}). */
  void metrics(Context ctx) {
    TaskManagerDetails tm = taskManager(ctx);
    ProcessFigures figures =
        taskManagerCalls.await(diagnostics.reportProcess(address(tm)), tm, ctx);
    Map<String, Object> values = new LinkedHashMap<>(figures.jvm().flinkMetrics());
    values.put("Status.JVM.CPU.Cores", tm.cpuCores());
    values.put("Status.Slots.Total", tm.slotsNumber());
    values.put("Status.Slots.Free", tm.freeSlots());
    // asked for by the dashboard's metrics tab; a Baton TaskManager has neither memory pool
    for (String none :
        List.of(
            "Status.Flink.Memory.Managed.Used",
            "Status.Flink.Memory.Managed.Total",
            "Status.Shuffle.Netty.UsedMemory",
            "Status.Shuffle.Netty.TotalMemory")) {
      values.put(none, 0L);
    }
    MetricQuery.answer(ctx, values);
  }

  /** {@code GET /taskmanagers/{id}/logs}: Flink's {@code LogListInfo}. */
  void logs(Context ctx) {
    TaskManagerDetails tm = taskManager(ctx);
    LogListing listing = taskManagerCalls.await(diagnostics.listLogs(address(tm)), tm, ctx);
    if (!listing.hasLogFile()) {
      throw noLogFile(tm);
    }
    ctx.json(Map.of("logs", listing.files()));
  }

  /** {@code GET /taskmanagers/{id}/log}: the end of its log file. */
  void log(Context ctx) {
    TaskManagerDetails tm = taskManager(ctx);
    serve(ctx, tm, LogRead.log(LogDirectory.MAX_READ_BYTES), "log");
  }

  /** {@code GET /taskmanagers/{id}/stdout}: the end of its {@code .out} file. */
  void stdout(Context ctx) {
    TaskManagerDetails tm = taskManager(ctx);
    serve(ctx, tm, LogRead.stdout(LogDirectory.MAX_READ_BYTES), "stdout (.out)");
  }

  /** {@code GET /taskmanagers/{id}/logs/{name}}: one file of its log directory, by name. */
  void logByName(Context ctx) {
    TaskManagerDetails tm = taskManager(ctx);
    String name = ctx.pathParam("name");
    if (!LogDirectory.isPlainName(name)) {
      // refused here: a name that could leave the log directory never reaches the TaskManager
      throw noSuchLog(name, tm);
    }
    serve(ctx, tm, LogRead.named(name, LogDirectory.MAX_READ_BYTES), name);
  }

  /** {@code GET /taskmanagers/{id}/thread-dump}: Flink's {@code ThreadDumpInfo}. */
  void threadDump(Context ctx) {
    TaskManagerDetails tm = taskManager(ctx);
    ctx.json(
        Map.of(
            "threadInfos",
            taskManagerCalls.await(diagnostics.dumpThreads(address(tm)), tm, ctx).threads()));
  }

  private void serve(Context ctx, TaskManagerDetails tm, LogRead read, String what) {
    LogReadResult result = taskManagerCalls.await(diagnostics.readLog(address(tm), read), tm, ctx);
    if (!result.hasLogFile()) {
      throw noLogFile(tm);
    }
    byte[] bytes = result.tail().orElseThrow(() -> noSuchLog(what, tm)).bytes();
    ctx.contentType("text/plain; charset=utf-8").result(bytes);
  }

  private static RestException noLogFile(TaskManagerDetails tm) {
    return RestException.notFound(
        "TaskManager " + tm.id() + " writes no log file (started without baton.log.file)");
  }

  private static RestException noSuchLog(String name, TaskManagerDetails tm) {
    return RestException.notFound("no log file " + name + " on TaskManager " + tm.id());
  }

  private static Map<String, Object> metrics(TaskManagerDetails tm, Optional<JvmFigures> jvm) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("heapUsed", jvm.map(j -> j.heap().used()).orElse(tm.heapUsed()));
    m.put("heapCommitted", jvm.map(j -> j.heap().committed()).orElse(tm.heapMax()));
    m.put("heapMax", jvm.map(j -> j.heap().max()).orElse(tm.heapMax()));
    m.put("nonHeapUsed", jvm.map(j -> j.nonHeap().used()).orElse(0L));
    m.put("nonHeapCommitted", jvm.map(j -> j.nonHeap().committed()).orElse(0L));
    m.put("nonHeapMax", jvm.map(j -> j.nonHeap().max()).orElse(0L));
    m.put("directCount", jvm.map(j -> j.direct().count()).orElse(0L));
    m.put("directUsed", jvm.map(j -> j.direct().used()).orElse(0L));
    m.put("directMax", jvm.map(j -> j.direct().capacity()).orElse(0L));
    m.put("mappedCount", jvm.map(j -> j.mapped().count()).orElse(0L));
    m.put("mappedUsed", jvm.map(j -> j.mapped().used()).orElse(0L));
    m.put("mappedMax", jvm.map(j -> j.mapped().capacity()).orElse(0L));
    // Flink's network buffers and managed memory: a Baton TaskManager has neither
    for (String key :
        List.of(
            "memorySegmentsAvailable",
            "memorySegmentsTotal",
            "nettyShuffleMemorySegmentsAvailable",
            "nettyShuffleMemorySegmentsUsed",
            "nettyShuffleMemorySegmentsTotal",
            "nettyShuffleMemoryAvailable",
            "nettyShuffleMemoryUsed",
            "nettyShuffleMemoryTotal")) {
      m.put(key, 0L);
    }
    m.put(
        "garbageCollectors",
        jvm.map(
                j ->
                    j.garbageCollectors().stream()
                        .map(
                            gc ->
                                Map.<String, Object>of(
                                    "name",
                                    gc.name(),
                                    "count",
                                    gc.count(),
                                    "time",
                                    gc.timeMillis()))
                        .toList())
            .orElse(List.of()));
    return m;
  }

  private static Map<String, Object> resources(int cpuCores, long heap) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("cpuCores", (double) cpuCores);
    r.put("taskHeapMemory", heap);
    r.put("taskOffHeapMemory", 0L);
    r.put("managedMemory", 0L);
    r.put("networkMemory", 0L);
    r.put("extendedResources", Map.of());
    return r;
  }

  /** The RPC address of a registered TaskManager, from its {@code host:port}. */
  private static RpcAddress address(TaskManagerDetails tm) {
    String address = tm.address();
    int colon = address.lastIndexOf(':');
    return new RpcAddress(
        address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
  }

  /** The registered TaskManager the path names; 400 for a malformed id, 404 for an unknown one. */
  TaskManagerDetails taskManager(Context ctx) {
    String id = ctx.pathParam("taskManagerId");
    if (!ID.matcher(id).matches()) {
      throw RestException.badRequest(
          "invalid TaskManager id '" + id + "': expected an id as GET /taskmanagers lists them");
    }
    return calls.await(dispatcher.requestTaskManagers(), ctx.method() + " " + ctx.path()).stream()
        .filter(tm -> tm.id().equals(id))
        .findFirst()
        .orElseThrow(() -> RestException.notFound("no TaskManager " + id + " is registered"));
  }
}
