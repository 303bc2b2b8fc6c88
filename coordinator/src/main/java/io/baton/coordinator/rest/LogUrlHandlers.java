package io.baton.coordinator.rest;

import io.baton.coordinator.status.TaskManagerDetails;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Flink's {@code LogUrlResponse} ({@code {"url"}}) for a job's JobManager and TaskManager log links
 * ({@code /jobs/{id}/jobmanager/log-url}, {@code /jobs/{id}/taskmanagers/{tm}/log-url}): Baton's
 * own log pages, on the JobManager the request came to, for a job and TaskManager that exist.
 */
final class LogUrlHandlers {
  private final JobViewHandlers views;
  private final TaskManagerHandlers taskManagers;

  LogUrlHandlers(JobViewHandlers views, TaskManagerHandlers taskManagers) {
    this.views = views;
    this.taskManagers = taskManagers;
  }

  void jobManager(Context ctx) {
    views.requireJob(ctx);
    ctx.json(Map.of("url", base(ctx) + "/jobmanager/log"));
  }

  void taskManager(Context ctx) {
    views.requireJob(ctx);
    TaskManagerDetails tm = taskManagers.taskManager(ctx);
    ctx.json(Map.of("url", base(ctx) + "/taskmanagers/" + tm.id() + "/log"));
  }

  /** The scheme and host the caller reached this JobManager by; empty (a relative URL) without. */
  private static String base(Context ctx) {
    String host = ctx.host();
    return host == null || host.isBlank() ? "" : ctx.scheme() + "://" + host;
  }
}
