package io.baton.coordinator.rest;

import io.baton.common.ids.JobId;
import io.baton.coordinator.checkpoint.CheckpointStats;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.rest.ResponseBodies.Job;
import io.baton.coordinator.rest.ResponseBodies.JobIdAndStatus;
import io.baton.coordinator.rest.ResponseBodies.JobList;
import io.baton.coordinator.rest.ResponseBodies.JobSummary;
import io.baton.coordinator.rest.ResponseBodies.JobsOverview;
import io.baton.coordinator.rest.ResponseBodies.SubtaskTimes;
import io.baton.coordinator.status.JobDetails;
import io.baton.coordinator.status.VertexDetails;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /jobs}: listing, details and cancellation. */
final class JobHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(JobHandlers.class);

  private final DispatcherGateway dispatcher;
  private final DispatcherCalls calls;
  private final Clock clock;

  JobHandlers(DispatcherGateway dispatcher, DispatcherCalls calls, Clock clock) {
    this.dispatcher = dispatcher;
    this.calls = calls;
    this.clock = clock;
  }

  void overview(Context ctx) {
    List<JobDetails> jobs = calls.await(dispatcher.listJobs(), "GET /jobs/overview");
    ctx.json(new JobsOverview(jobs.stream().map(JobSummary::of).toList()));
  }

  void list(Context ctx) {
    List<JobDetails> jobs = calls.await(dispatcher.listJobs(), "GET /jobs");
    ctx.json(
        new JobList(
            jobs.stream()
                .map(j -> new JobIdAndStatus(j.id().value(), j.status().name()))
                .toList()));
  }

  void details(Context ctx) {
    JobId id = jobId(ctx);
    JobDetails job =
        calls
            .await(dispatcher.requestJob(id), "GET /jobs/" + id)
            .orElseThrow(() -> RestException.notFound("job " + id + " not found"));
    CheckpointStats.Restored restored =
        calls
            .await(dispatcher.requestCheckpointStats(id), "GET /jobs/" + id)
            .map(CheckpointStats::latestRestored)
            .orElse(null);
    ctx.json(Job.of(job, clock.millis(), restored));
  }

  /** Flink's {@code GET /jobs/{id}/vertices/{vertexId}/subtasktimes}. */
  void subtaskTimes(Context ctx) {
    JobId id = jobId(ctx);
    String vertexParam = ctx.pathParam("vertexId");
    JobDetails job =
        calls
            .await(dispatcher.requestJob(id), "GET /jobs/" + id + "/vertices/" + vertexParam)
            .orElseThrow(() -> RestException.notFound("job " + id + " not found"));
    VertexDetails vertex =
        job.vertices().stream()
            .filter(v -> VertexIds.parse(vertexParam).equals(OptionalInt.of(v.id())))
            .findFirst()
            .orElseThrow(
                () -> RestException.notFound("job " + id + " has no vertex '" + vertexParam + "'"));
    ctx.json(SubtaskTimes.of(vertex, clock.millis()));
  }

  void patch(Context ctx) {
    JobId id = jobId(ctx);
    String mode = ctx.queryParam("mode");
    if (mode == null || mode.isBlank()) {
      throw RestException.badRequest("PATCH /jobs/" + id + " needs ?mode=cancel");
    }
    if (!mode.equals("cancel")) {
      throw RestException.badRequest(
          "unsupported mode '" + mode + "' for PATCH /jobs/" + id + ": only mode=cancel is");
    }
    calls.await(dispatcher.cancelJob(id), "cancelling job " + id);
    LOG.info("Cancellation of job {} requested through REST", id);
    ctx.status(202).json(Map.of());
  }

  /**
   * Flink's {@code GET /jobs/{id}/yarn-cancel}, which its dashboard's Cancel button calls: cancels
   * as {@code PATCH /jobs/{id}?mode=cancel} does.
   */
  void yarnCancel(Context ctx) {
    JobId id = jobId(ctx);
    calls.await(dispatcher.cancelJob(id), "cancelling job " + id);
    LOG.info("Cancellation of job {} requested through REST (yarn-cancel)", id);
    ctx.status(202).json(Map.of());
  }

  /**
   * Flink's {@code POST /jobs} takes a Flink job graph, which Flink's client builds by running a
   * Flink program itself ({@code flink run}); Baton runs Baton jars, from their own {@code main()}.
   */
  void refuseJobGraph(Context ctx) {
    LOG.info("Refused a Flink job graph sent to POST {}", ctx.path());
    throw RestException.badRequest(
        "Baton runs Baton jobs, not Flink job graphs: upload the jar with POST /jars/upload and"
            + " run it with POST /jars/{id}/run (bin/baton run <jar>)");
  }

  static JobId jobId(Context ctx) {
    try {
      return JobId.parse(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw RestException.badRequest(e.getMessage());
    }
  }
}
