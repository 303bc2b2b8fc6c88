package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.rest.ResponseBodies.TaskManager;
import io.baton.coordinator.status.TaskManagerDetails;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /taskmanagers/{id}} in Flink's shape ({@code TaskManagerDetailsInfo}) from what each
 * TaskManager reports with its heartbeats, and its {@code /metrics}. A TaskManager's logs, stdout
 * and thread dump are not passed through the JobManager: those answer 404 with one line saying
 * where to read them.
 */
final class TaskManagerHandlers {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final DispatcherGateway dispatcher;
  private final DispatcherCalls calls;
  private final ObjectMapper json;

  TaskManagerHandlers(DispatcherGateway dispatcher, DispatcherCalls calls, ObjectMapper json) {
    this.dispatcher = dispatcher;
    this.calls = calls;
    this.json = json;
  }

  void details(Context ctx) {
    TaskManagerDetails tm = taskManager(ctx);
    ObjectNode body = json.valueToTree(TaskManager.of(tm));
    body.put("jmxPort", -1);
    body.put("blocked", false);
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
    body.set("memoryConfiguration", json.valueToTree(memory));
    body.set("allocatedSlots", json.createArrayNode());
    body.set("metrics", json.valueToTree(metrics(tm)));
    ctx.json(body);
  }

  /** Flink's metric list ({@code [{"id"}]}) or values ({@code ?get=a,b}). */
  void metrics(Context ctx) {
    TaskManagerDetails tm = taskManager(ctx);
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("Status.JVM.Memory.Heap.Used", tm.heapUsed());
    values.put("Status.JVM.Memory.Heap.Max", tm.heapMax());
    values.put("Status.JVM.CPU.Cores", tm.cpuCores());
    values.put("Status.Slots.Total", tm.slotsNumber());
    values.put("Status.Slots.Free", tm.freeSlots());
    MetricQuery.answer(ctx, values);
  }

  /** {@code /logs}, {@code /log}, {@code /stdout}, {@code /thread-dump}: not served here. */
  void notServed(Context ctx) {
    TaskManagerDetails tm = taskManager(ctx);
    String path = ctx.path();
    String what = path.substring(path.lastIndexOf('/') + 1);
    throw RestException.notFound(
        "the JobManager does not pass on a TaskManager's "
            + what
            + ": read it on "
            + tm.address()
            + " (bin/taskmanager.sh writes log/baton-taskmanager-<n>-<host>.log and .out)");
  }

  private static Map<String, Object> metrics(TaskManagerDetails tm) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("heapUsed", tm.heapUsed());
    m.put("heapCommitted", tm.heapMax());
    m.put("heapMax", tm.heapMax());
    for (String key :
        List.of(
            "nonHeapUsed",
            "nonHeapCommitted",
            "nonHeapMax",
            "directCount",
            "directUsed",
            "directMax",
            "mappedCount",
            "mappedUsed",
            "mappedMax",
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
    m.put("garbageCollectors", List.of());
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

  private TaskManagerDetails taskManager(Context ctx) {
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
