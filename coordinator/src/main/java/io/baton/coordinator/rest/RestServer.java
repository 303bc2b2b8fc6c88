package io.baton.coordinator.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.common.config.Configuration;
import io.baton.common.config.ErrorLines;
import io.baton.common.config.RestOptions;
import io.baton.common.rpc.GrpcChannelFactory;
import io.baton.common.security.RestToken;
import io.baton.coordinator.blob.BlobStore;
import io.baton.coordinator.dispatcher.DispatcherGateway;
import io.baton.coordinator.program.JobGraphExtractor;
import io.baton.coordinator.rest.ResponseBodies.Errors;
import io.baton.coordinator.rpc.GrpcTaskManagerDiagnostics;
import io.baton.coordinator.rpc.TaskManagerDiagnostics;
import io.baton.storage.FileStores;
import io.baton.storage.StorageTargets;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JobManager's HTTP/JSON API (Flink-shaped), on {@code rest.bind-address:rest.port}.
 *
 * <p>Read endpoints: {@code GET /overview}, {@code /jobs}, {@code /jobs/overview}, {@code
 * /jobs/{id}}, {@code /taskmanagers}, {@code /jars}, {@code /config}, {@code /metrics}. Writes:
 * {@code PATCH /jobs/{id}?mode=cancel}, {@code POST /jars/upload}, {@code POST /jars/{id}/run},
 * {@code DELETE /jars/{id}}. Every error is {@code {"errors":["<one line>"]}}.
 *
 * <p>Every route answers under {@code /v1/} too ({@link FlinkPathPrefix}), as Flink's client calls
 * them. A standby answers Baton's own calls with {@code {"leader": false, ...}} (reads) or a 307 to
 * the leader (writes), and passes Flink's {@code /v1/} calls on to the leader ({@link
 * LeaderProxy}), since Flink's client follows no redirect.
 *
 * <p>Requests are served by a thread pool of its own; each waits for the dispatcher at most the
 * dispatcher timeout (504 after that).
 *
 * <p>Every JobManager, standby or leader, serves Flink's web dashboard at {@code /} and Baton's HA
 * console at {@code /console/} ({@link WebPages}); a standby passes the dashboard's data calls on
 * to the leader as it does Flink's {@code /v1} calls.
 *
 * <p>With {@code rest.auth.type: token} every request but {@code GET /ha} and the pages' static
 * files needs the token (401 otherwise, before any handler runs), in the {@code Authorization}
 * header or the console's cookie; with {@code security.ssl.rest.enabled} the API is served over
 * https only.
 */
public final class RestServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

  private static final String ERROR_WRITTEN = "baton.error-written";
  private static final int MAX_THREADS = 32;

  private final Configuration configuration;
  private final JarHandlers jars;
  private final Javalin app;
  private final HaStatus.Source haStatus;
  private final TlsConnector tls;
  private final LeaderProxy leaderProxy;
  private final WebPages pages;
  // savepoint disposal deletes through these, on its own thread
  private final FileStores fileStores;
  private final ExecutorService disposalIo;
  private volatile boolean started;

  /** With {@link RestServerOptions#defaults()}. */
  public RestServer(
      Configuration configuration,
      DispatcherGateway dispatcher,
      BlobStore blobStore,
      PrometheusMeterRegistry meterRegistry) {
    this(configuration, dispatcher, blobStore, meterRegistry, RestServerOptions.defaults());
  }

  /** With what {@code options} sets instead of the defaults. */
  public RestServer(
      Configuration configuration,
      DispatcherGateway dispatcher,
      BlobStore blobStore,
      PrometheusMeterRegistry meterRegistry,
      RestServerOptions options) {
    Clock clock = options.clock();
    Duration dispatcherTimeout = options.dispatcherTimeout();
    HaStatus.Source haStatus = options.haStatus();
    Optional<Path> logFile = options.logFile();
    ClusterShutdown shutdown = options.shutdown();
    this.configuration = configuration;
    this.haStatus = haStatus != null ? haStatus : this::aloneStatus;
    // both read their files now: a bad one stops start-up before anything binds
    this.pages = new WebPages();
    Optional<TokenCheck> tokenCheck =
        RestToken.fromConfiguration(configuration).map(token -> new TokenCheck(token, pages));
    this.tls = TlsConnector.fromConfiguration(configuration);
    String bindHost = configuration.get(RestOptions.BIND_ADDRESS);
    int bindPort = configuration.get(RestOptions.PORT);
    ObjectMapper json = new ObjectMapper();
    long maxUploadBytes = configuration.get(RestOptions.MAX_UPLOAD_BYTES);
    String version = version();
    DispatcherCalls calls = new DispatcherCalls(dispatcherTimeout);
    JobGraphExtractor extractor =
        JobGraphExtractor.fromConfiguration(configuration, RestServer.class.getClassLoader());
    JobHandlers jobs = new JobHandlers(dispatcher, calls, clock);
    ClusterHandlers cluster = new ClusterHandlers(dispatcher, calls, meterRegistry, clock, version);
    // the environment only tells whether $HADOOP_CONF_DIR sets up hdfs://
    StorageTargetField targets =
        new StorageTargetField(StorageTargets.of(configuration, System.getenv()));
    this.leaderProxy = new LeaderProxy(configuration, dispatcherTimeout);
    this.fileStores = new FileStores(configuration);
    this.disposalIo =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "baton-savepoint-disposal");
              t.setDaemon(true);
              return t;
            });
    this.jars =
        new JarHandlers(blobStore, dispatcher, calls, extractor, json, maxUploadBytes, targets);
    RequestMetrics metrics = new RequestMetrics(meterRegistry);

    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.startupWatcherEnabled = false;
              config.jsonMapper(new JavalinJackson(json, false));
              QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2, 60_000);
              threads.setName("baton-rest");
              config.jetty.threadPool = threads;
              config.jetty.multipartConfig.maxFileSize(maxUploadBytes, SizeUnit.BYTES);
              config.jetty.multipartConfig.maxTotalRequestSize(
                  maxUploadBytes + 64 * 1024, SizeUnit.BYTES);
              config.requestLogger.http(metrics::record);
              pages.addStaticFiles(config);
              config.jetty.modifyServletContextHandler(
                  handler ->
                      handler.addFilter(
                          new FilterHolder(new FlinkPathPrefix()),
                          "/*",
                          EnumSet.of(DispatcherType.REQUEST)));
              if (tls != null) {
                config.jetty.addConnector(
                    (server, http) -> tls.create(server, http, bindHost, bindPort));
              }
            });

    tokenCheck.ifPresent(
        check ->
            app.before(
                ctx -> {
                  if (!check.admits(ctx)) {
                    ctx.skipRemainingHandlers();
                    ctx.header("WWW-Authenticate", "Bearer");
                    writeError(ctx, 401, TokenCheck.REFUSED);
                  }
                }));

    // a standby serves /ha (with its history and health) and /metrics only; the rest goes to (or
    // names) the leader
    app.before(this::answerForStandby);
    HaHandlers ha = new HaHandlers(this.haStatus);
    app.get(metrics.route("/ha"), ha::status);
    app.get(metrics.route("/ha/history"), ha::history);
    app.get(metrics.route("/ha/health"), ha::health);
    app.get("/", pages::dashboardIndex);
    app.get("/index.html", pages::dashboardIndex);
    app.get(WebPages.CONSOLE_PATH, pages::consoleIndex);
    app.get(metrics.route("/overview"), cluster::overview);
    app.get(metrics.route("/config"), cluster::config);
    app.get(metrics.route("/taskmanagers"), cluster::taskManagers);
    // each call to a TaskManager has the dispatcher's deadline, on a channel of its own
    TaskManagerDiagnostics diagnostics =
        new GrpcTaskManagerDiagnostics(
            GrpcChannelFactory.fromConfiguration(configuration), dispatcherTimeout);
    TaskManagerHandlers taskManagers =
        new TaskManagerHandlers(
            dispatcher,
            calls,
            new TaskManagerCalls(diagnostics, dispatcherTimeout),
            diagnostics,
            json);
    app.get(metrics.route("/taskmanagers/{taskManagerId}"), taskManagers::details);
    app.get(metrics.route("/taskmanagers/{taskManagerId}/metrics"), taskManagers::metrics);
    app.get(metrics.route("/taskmanagers/{taskManagerId}/logs"), taskManagers::logs);
    app.get(metrics.route("/taskmanagers/{taskManagerId}/logs/{name}"), taskManagers::logByName);
    app.get(metrics.route("/taskmanagers/{taskManagerId}/log"), taskManagers::log);
    app.get(metrics.route("/taskmanagers/{taskManagerId}/stdout"), taskManagers::stdout);
    app.get(metrics.route("/taskmanagers/{taskManagerId}/thread-dump"), taskManagers::threadDump);
    app.get(metrics.route("/taskmanagers/{taskManagerId}/profiler"), DisabledFeatures::profiler);
    app.post(metrics.route("/taskmanagers/{taskManagerId}/profiler"), DisabledFeatures::profiler);
    app.get(metrics.route("/metrics"), cluster::metrics);
    app.get(metrics.route("/jobs/overview"), jobs::overview);
    app.get(metrics.route("/jobs"), jobs::list);
    app.post(metrics.route("/jobs"), jobs::refuseJobGraph);
    app.get(metrics.route("/jobs/{id}"), jobs::details);
    app.patch(metrics.route("/jobs/{id}"), jobs::patch);
    app.get(metrics.route("/jobs/{id}/yarn-cancel"), jobs::yarnCancel);
    app.get(metrics.route("/jobs/{id}/vertices/{vertexId}/subtasktimes"), jobs::subtaskTimes);
    JobViewHandlers views = new JobViewHandlers(dispatcher, calls, clock);
    app.get(metrics.route("/jobs/{id}/plan"), views::plan);
    app.get(metrics.route("/jobs/{id}/exceptions"), views::exceptions);
    app.get(metrics.route("/jobs/{id}/config"), views::config);
    app.get(metrics.route("/jobs/{id}/accumulators"), views::jobAccumulators);
    app.get(metrics.route("/jobs/{id}/vertices/{vertexId}"), views::vertex);
    app.get(metrics.route("/jobs/{id}/vertices/{vertexId}/metrics"), views::vertexMetrics);
    app.get(metrics.route("/jobs/{id}/vertices/{vertexId}/backpressure"), views::backPressure);
    app.get(
        metrics.route("/jobs/{id}/vertices/{vertexId}/subtasks/metrics"), views::subtaskMetrics);
    app.get(metrics.route("/jobs/{id}/vertices/{vertexId}/watermarks"), views::watermarks);
    app.get(
        metrics.route("/jobs/{id}/vertices/{vertexId}/accumulators"), views::vertexAccumulators);
    app.get(
        metrics.route("/jobs/{id}/vertices/{vertexId}/subtasks/accumulators"),
        views::subtaskAccumulators);
    app.get(metrics.route("/jobs/{id}/resource-requirements"), views::resourceRequirements);
    app.get(
        metrics.route("/jobs/{id}/vertices/{vertexId}/taskmanagers"), views::vertexTaskManagers);
    app.get(
        metrics.route("/jobs/{id}/checkpoints/details/{checkpointId}"), views::checkpointDetails);
    app.get(
        metrics.route("/jobs/{id}/checkpoints/details/{checkpointId}/subtasks/{vertexId}"),
        views::checkpointSubtasks);
    CheckpointHandlers checkpoints = new CheckpointHandlers(dispatcher, calls, json, targets);
    app.get(metrics.route("/jobs/{id}/checkpoints"), checkpoints::checkpoints);
    app.get(metrics.route("/jobs/{id}/checkpoints/config"), checkpoints::checkpointConfig);
    app.post(metrics.route("/jobs/{id}/savepoints"), checkpoints::triggerSavepoint);
    app.get(metrics.route("/jobs/{id}/savepoints/{triggerId}"), checkpoints::savepointStatus);
    app.post(metrics.route("/jobs/{id}/stop"), checkpoints::stop);
    app.post(metrics.route("/jobs/{id}/checkpoints"), checkpoints::triggerCheckpoint);
    // after /checkpoints/config: Javalin takes the first route that matches
    app.get(metrics.route("/jobs/{id}/checkpoints/{triggerId}"), checkpoints::checkpointStatus);
    SavepointDisposalHandlers disposal =
        new SavepointDisposalHandlers(configuration, fileStores, disposalIo, json);
    app.post(metrics.route("/savepoint-disposal"), disposal::trigger);
    app.get(metrics.route("/savepoint-disposal/{triggerId}"), disposal::status);
    JobManagerHandlers jobManager = new JobManagerHandlers(configuration, logFile);
    app.get(metrics.route("/jobmanager/config"), jobManager::config);
    // the job's JobManager is this one: its tab shows the same, for a job that exists
    app.get(
        metrics.route("/jobs/{id}/jobmanager/config"),
        ctx -> {
          views.requireJob(ctx);
          jobManager.config(ctx);
        });
    app.get(
        metrics.route("/jobs/{id}/jobmanager/environment"),
        ctx -> {
          views.requireJob(ctx);
          jobManager.environment(ctx);
        });
    app.get(metrics.route("/jobmanager/environment"), jobManager::environment);
    app.get(metrics.route("/jobmanager/logs"), jobManager::logs);
    app.get(metrics.route("/jobmanager/logs/{name}"), jobManager::logByName);
    app.get(metrics.route("/jobmanager/log"), jobManager::log);
    app.get(metrics.route("/jobmanager/stdout"), jobManager::stdout);
    app.get(metrics.route("/jobmanager/metrics"), jobManager::metrics);
    app.get(metrics.route("/jobmanager/thread-dump"), jobManager::threadDump);
    app.get(metrics.route("/jobmanager/profiler"), DisabledFeatures::profiler);
    app.post(metrics.route("/jobmanager/profiler"), DisabledFeatures::profiler);
    LogUrlHandlers logUrls = new LogUrlHandlers(views, taskManagers);
    app.get(metrics.route("/jobs/{id}/jobmanager/log-url"), logUrls::jobManager);
    app.get(metrics.route("/jobs/{id}/taskmanagers/{taskManagerId}/log-url"), logUrls::taskManager);
    app.get(
        metrics.route("/jobs/{id}/vertices/{vertexId}/flamegraph"),
        new DisabledFeatures(views)::flameGraph);
    app.before(metrics.route("/jars/upload"), jars::checkUploadSize);
    app.post(metrics.route("/jars/upload"), jars::upload);
    app.get(metrics.route("/jars"), jars::list);
    app.delete(metrics.route("/jars/{id}"), jars::delete);
    app.post(metrics.route("/jars/{id}/run"), jars::run);
    app.get(metrics.route("/jars/{id}/plan"), jars::plan);
    app.post(metrics.route("/jars/{id}/plan"), jars::plan);
    app.delete(metrics.route("/cluster"), ctx -> shutDown(ctx, shutdown));

    app.exception(
        RestException.class,
        (e, ctx) -> {
          if (e.status() >= 500 && e.getCause() != null) {
            // the client gets one line; the log keeps where it came from
            LOG.warn(
                "{} {} answered {}: {}", ctx.method(), ctx.path(), e.status(), e.getMessage(), e);
          }
          writeError(ctx, e.status(), e.getMessage());
        });
    // Javalin's own answers; its 404 means no route matched (handlers here throw RestException)
    app.exception(
        HttpResponseException.class,
        (e, ctx) ->
            writeError(
                ctx,
                e.getStatus(),
                e.getStatus() == 404
                    ? "no such endpoint: " + ctx.method() + " " + ctx.path()
                    : e.getMessage()));
    // a jar deleted while a request was using it
    app.exception(NoSuchFileException.class, (e, ctx) -> writeError(ctx, 404, e.getMessage()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
          writeError(ctx, 500, "internal error: " + ErrorLines.chain(e));
        });
    app.error(
        404,
        ctx -> {
          if (ctx.attribute(ERROR_WRITTEN) == null) {
            writeError(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
          }
        });
  }

  /**
   * Binds and starts serving.
   *
   * @return the port bound (useful with rest.port 0)
   * @throws IllegalStateException when the port is taken ("rest.port 8081 is already in use")
   */
  public synchronized int start() {
    String host = configuration.get(RestOptions.BIND_ADDRESS);
    int port = configuration.get(RestOptions.PORT);
    try {
      app.start(host, port);
    } catch (RuntimeException e) {
      app.stop();
      if (causedByBindFailure(e)) {
        throw new IllegalStateException(
            "rest.port " + port + " is already in use (rest.bind-address " + host + ")", e);
      }
      throw new IllegalStateException(
          "cannot start the REST server on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    started = true;
    LOG.info(
        "REST API listening on {}://{}:{}{}",
        scheme(),
        host,
        app.port(),
        tls != null && tls.mutual() ? " (client certificates required)" : "");
    return app.port();
  }

  /** The port bound; valid after {@link #start}. */
  public int port() {
    return app.port();
  }

  /** Stops serving. */
  @Override
  public synchronized void close() {
    if (started) {
      app.stop();
      started = false;
      LOG.info("REST API stopped");
    }
    disposalIo.shutdownNow();
    try {
      fileStores.close();
    } catch (IOException e) {
      LOG.warn("Could not close the REST API's storage clients", e);
    }
  }

  private void answerForStandby(Context ctx) throws InterruptedException {
    String path = ctx.path();
    if (path.equals("/ha")
        || path.startsWith("/ha/")
        || path.equals("/metrics")
        || pages.isPage(ctx)) {
      return;
    }
    HaStatus status = haStatus.current();
    if (status.leader()) {
      return;
    }
    ctx.skipRemainingHandlers();
    if (FlinkPathPrefix.fromFlinkClient(ctx.req()) || WebPages.calledByDashboard(ctx)) {
      leaderProxy.forward(ctx, status);
      return;
    }
    HandlerType method = ctx.method();
    if (method == HandlerType.GET || method == HandlerType.HEAD || method == HandlerType.OPTIONS) {
      ctx.json(
          new HaStatus.StandbyAnswer(
              false, status.leaderId(), status.leaderAddress(), status.leaderRestUrl()));
      return;
    }
    if (status.leaderRestUrl() == null || status.leaderRestUrl().isEmpty()) {
      writeError(ctx, 503, "no leader elected");
      return;
    }
    String query = ctx.queryString();
    String location = status.leaderRestUrl() + path + (query == null ? "" : "?" + query);
    ctx.status(307).header("Location", location);
  }

  /** Mode none: this JobManager is the only one, and leads. */
  private HaStatus aloneStatus() {
    String id = aloneId();
    return new HaStatus("none", true, id, id, null, scheme() + "://" + id, null, null, List.of(id));
  }

  private String aloneId() {
    return configuration.get(RestOptions.ADDRESS)
        + ":"
        + (started ? app.port() : configuration.get(RestOptions.PORT));
  }

  /** {@code https} with {@code security.ssl.rest.enabled}, else {@code http}. */
  private String scheme() {
    return tls != null ? "https" : "http";
  }

  /** {@code DELETE /cluster}: 202 once the process was asked to end the cluster. */
  private static void shutDown(Context ctx, ClusterShutdown shutdown) {
    if (shutdown == null) {
      throw new RestException(
          405, "this JobManager's cluster is not ended through REST: stop its processes instead");
    }
    LOG.info("DELETE /cluster from {}: ending the cluster", ctx.ip());
    shutdown.requestShutdown();
    ctx.status(202).json(java.util.Map.of("status", "stopping"));
  }

  private static void writeError(Context ctx, int status, String message) {
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
    // one line whatever the message held: stack traces belong in the log
    String line = message == null ? "unknown error" : ErrorLines.oneLine(message);
    ctx.status(status).json(new Errors(List.of(line)));
  }

  private static boolean causedByBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException || t instanceof io.javalin.util.JavalinBindException) {
        return true;
      }
    }
    return false;
  }

  private static String version() {
    return Optional.ofNullable(RestServer.class.getPackage().getImplementationVersion())
        .orElse("dev");
  }
}
