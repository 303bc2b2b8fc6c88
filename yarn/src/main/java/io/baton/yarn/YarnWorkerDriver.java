package io.baton.yarn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.baton.common.config.ConfigurationLoader;
import io.baton.common.config.TaskManagerOptions;
import io.baton.common.ids.TaskManagerId;
import io.baton.coordinator.resourcemanager.WorkerConfiguration;
import io.baton.coordinator.resourcemanager.WorkerDriver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.UpdatedContainer;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code resourcemanager.driver: yarn}: TaskManagers run in YARN containers this JobManager asks
 * the YARN ResourceManager for (the async AM-RM client) and starts on the NodeManagers (the async
 * NM client). It runs inside the ApplicationMaster, whose registration with the YARN
 * ResourceManager belongs to its caller. Each worker's configuration is a file in the staging
 * directory that YARN localizes into the container, readable by the application's user only, named
 * by the container's id: a later ApplicationMaster attempt reads there which TaskManager runs in a
 * container it took over from the attempt before ({@link #recoveredWorkers}).
 *
 * <p>YARN's callbacks arrive on its client threads; this driver's own state is guarded by its
 * monitor, and the resource manager hears of ended workers through {@link Listener}.
 */
public final class YarnWorkerDriver implements WorkerDriver {
  private static final Logger LOG = LoggerFactory.getLogger(YarnWorkerDriver.class);
  private static final Priority PRIORITY = Priority.newInstance(1);
  private static final String CONFIG_LINK = ConfigurationLoader.FILE_NAME;
  private static final String LIB_LINK = "lib";
  private static final String LOG_CONFIG_LINK = "log4j2.properties";

  private final YarnConfiguration yarnConfig;
  private final AMRMClientAsync<ContainerRequest> resourceManager;
  private final YarnWorkerSpec spec;
  private final int jobManagerRpcPort;
  private final NMClientAsync nodeManagers;
  private final ForwardingCallbacks callbacks;
  private final PreviousAttemptContainers previousAttempt;

  // guarded by this
  private final Deque<PendingWorker> waitingForContainer = new ArrayDeque<>();
  private final Map<ContainerId, RunningWorker> byContainer = new HashMap<>();
  private final Map<TaskManagerId, RunningWorker> byWorker = new HashMap<>();
  private boolean closed;
  private volatile Listener listener = (id, diagnostics) -> {};

  /**
   * @param resourceManager a started AM-RM client of the registered ApplicationMaster
   * @param callbacks that client's callback handler: from {@link #start} on, it forwards YARN's
   *     allocations and completed containers here
   * @param previousAttempt the containers the ApplicationMaster's previous attempt left running
   */
  public YarnWorkerDriver(
      YarnConfiguration yarnConfig,
      AMRMClientAsync<ContainerRequest> resourceManager,
      ForwardingCallbacks callbacks,
      PreviousAttemptContainers previousAttempt,
      YarnWorkerSpec spec,
      int jobManagerRpcPort) {
    this.yarnConfig = yarnConfig;
    this.resourceManager = resourceManager;
    this.callbacks = callbacks;
    this.previousAttempt = previousAttempt;
    this.spec = spec;
    this.jobManagerRpcPort = jobManagerRpcPort;
    this.nodeManagers = NMClientAsync.createNMClientAsync(new NodeManagerCallbacks());
  }

  @Override
  public boolean isActive() {
    return true;
  }

  @Override
  public void start(Listener listener) {
    this.listener = listener;
    nodeManagers.init(yarnConfig);
    nodeManagers.start();
    callbacks.forwardTo(new ResourceManagerCallbacks());
  }

  /**
   * The TaskManagers in the containers the previous attempt left running, named by the
   * configuration it wrote for each; a container whose configuration cannot be read is released.
   */
  @Override
  public CompletableFuture<List<TaskManagerId>> recoveredWorkers() {
    return previousAttempt.take().thenApply(this::takeOver);
  }

  private List<TaskManagerId> takeOver(List<Container> containers) {
    List<TaskManagerId> ids = new ArrayList<>();
    for (Container container : containers) {
      TaskManagerId id;
      try {
        id = workerIn(container.getId());
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "Releasing container {} of the previous attempt: which TaskManager runs there is"
                + " unknown ({})",
            container.getId(),
            e.toString());
        stop(container);
        continue;
      }
      synchronized (this) {
        if (closed) {
          stop(container);
          continue;
        }
        RunningWorker running =
            new RunningWorker(id, container, CompletableFuture.completedFuture(null));
        byContainer.put(container.getId(), running);
        byWorker.put(id, running);
      }
      LOG.info(
          "TaskManager {} in container {} on {} survived the previous attempt; taking it over",
          id,
          container.getId(),
          container.getNodeId());
      ids.add(id);
    }
    return ids;
  }

  /** The TaskManager id in the configuration this driver (or an earlier one) wrote for it. */
  private TaskManagerId workerIn(ContainerId container) throws IOException {
    Path configFile = workerConfigFile(container);
    FileSystem fs = configFile.getFileSystem(yarnConfig);
    Map<?, ?> values;
    try (java.io.InputStream in = fs.open(configFile)) {
      values = new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
    }
    Object id = values == null ? null : values.get(TaskManagerOptions.RESOURCE_ID.key());
    if (id == null) {
      throw new IOException(
          configFile + " names no " + TaskManagerOptions.RESOURCE_ID.key() + " (not Baton's)");
    }
    return TaskManagerId.parse(id.toString());
  }

  private Path workerConfigFile(ContainerId container) {
    return new Path(spec.stagingDir(), "worker-" + container + "/" + CONFIG_LINK);
  }

  private void stop(Container container) {
    nodeManagers.stopContainerAsync(container.getId(), container.getNodeId());
    resourceManager.releaseAssignedContainer(container.getId());
  }

  @Override
  public synchronized CompletableFuture<Void> startWorker(TaskManagerId id) {
    PendingWorker worker = new PendingWorker(id, new CompletableFuture<>());
    Resource resource = Resource.newInstance(spec.memoryMb(), spec.vcores());
    worker.request = new ContainerRequest(resource, null, null, PRIORITY);
    waitingForContainer.addLast(worker);
    resourceManager.addContainerRequest(worker.request);
    LOG.info(
        "Requested a container of {} MB and {} vcores for TaskManager {}",
        spec.memoryMb(),
        spec.vcores(),
        id);
    return worker.launched;
  }

  @Override
  public synchronized void releaseWorker(TaskManagerId id) {
    for (PendingWorker w : waitingForContainer) {
      if (w.id.equals(id)) {
        waitingForContainer.remove(w);
        resourceManager.removeContainerRequest(w.request);
        return;
      }
    }
    RunningWorker running = byWorker.remove(id);
    if (running != null) {
      byContainer.remove(running.container.getId());
      LOG.info("Stopping TaskManager {} in container {}", id, running.container.getId());
      stop(running.container);
    }
  }

  @Override
  public void close(Duration timeout) {
    callbacks.forwardTo(null);
    List<RunningWorker> running;
    synchronized (this) {
      closed = true;
      running = new ArrayList<>(byWorker.values());
      for (PendingWorker w : waitingForContainer) {
        resourceManager.removeContainerRequest(w.request);
      }
      waitingForContainer.clear();
      byWorker.clear();
      byContainer.clear();
    }
    listener = (id, diagnostics) -> {};
    for (RunningWorker w : running) {
      resourceManager.releaseAssignedContainer(w.container.getId());
    }
    // stops the containers it started
    nodeManagers.stop();
  }

  private void allocated(List<Container> containers) {
    for (Container container : containers) {
      PendingWorker worker;
      synchronized (this) {
        worker = waitingForContainer.pollFirst();
        if (worker != null) {
          resourceManager.removeContainerRequest(worker.request);
          RunningWorker running = new RunningWorker(worker.id, container, worker.launched);
          byContainer.put(container.getId(), running);
          byWorker.put(worker.id, running);
        }
      }
      if (worker == null) {
        LOG.info("Returning container {}: no TaskManager waits for it", container.getId());
        resourceManager.releaseAssignedContainer(container.getId());
        continue;
      }
      try {
        ContainerLaunchContext launch = launchContext(worker.id, container.getId());
        LOG.info(
            "Starting TaskManager {} in container {} on {}",
            worker.id,
            container.getId(),
            container.getNodeId());
        nodeManagers.startContainerAsync(container, launch);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot start TaskManager {} in container {}", worker.id, container.getId(), e);
        forget(container.getId());
        resourceManager.releaseAssignedContainer(container.getId());
        worker.launched.completeExceptionally(e);
      }
    }
  }

  private ContainerLaunchContext launchContext(TaskManagerId id, ContainerId container)
      throws IOException {
    Path configFile = workerConfigFile(container);
    FileSystem fs = configFile.getFileSystem(yarnConfig);
    try (OutputStream out =
        fs.create(
            configFile,
            new FsPermission((short) 0600),
            true,
            4096,
            fs.getDefaultReplication(configFile),
            fs.getDefaultBlockSize(configFile),
            null)) {
      new ObjectMapper(new YAMLFactory())
          .writeValue(
              out, WorkerConfiguration.forWorker(spec.configuration(), id, jobManagerRpcPort));
    }
    Map<String, LocalResource> resources = new HashMap<>();
    resources.put(CONFIG_LINK, YarnResources.of(configFile, yarnConfig));
    if (spec.libDir() != null) {
      resources.put(LIB_LINK, YarnResources.of(new Path(spec.libDir()), yarnConfig));
    }
    // the session's conf/log4j2.properties: the TaskManager's log goes to the container's log
    // directory, where YARN's log aggregation and web UI find it
    Path logConfig = new Path(spec.stagingDir(), "conf/" + LOG_CONFIG_LINK);
    boolean hasLogConfig = fs.exists(logConfig);
    if (hasLogConfig) {
      resources.put(LOG_CONFIG_LINK, YarnResources.of(logConfig, yarnConfig));
    }
    String logDir = ApplicationConstants.LOG_DIR_EXPANSION_VAR;
    List<String> command = new ArrayList<>();
    command.add(spec.java());
    command.addAll(spec.jvmOptions());
    if (hasLogConfig) {
      command.add("-Dlog4j2.configurationFile=" + LOG_CONFIG_LINK);
    }
    command.add("-Dbaton.log.file=" + logDir + "/taskmanager.log");
    command.add("-cp");
    // quoted: the launch script's shell must not expand a wildcard entry such as lib/*
    command.add("'" + spec.classpath() + "'");
    command.add("io.baton.taskmanager.TaskManagerEntrypoint");
    command.add("--configDir");
    command.add(".");
    command.add("1>" + logDir + "/taskmanager.out");
    command.add("2>" + logDir + "/taskmanager.err");
    return ContainerLaunchContext.newInstance(
        resources, Map.of(), List.of(String.join(" ", command)), null, null, null);
  }

  private synchronized RunningWorker forget(ContainerId container) {
    RunningWorker running = byContainer.remove(container);
    if (running != null) {
      byWorker.remove(running.id);
    }
    return running;
  }

  private void completed(List<ContainerStatus> statuses) {
    for (ContainerStatus status : statuses) {
      RunningWorker running = forget(status.getContainerId());
      if (running == null) {
        continue; // released by the resource manager, or never ours
      }
      String diagnostics =
          "container "
              + status.getContainerId()
              + " exit status "
              + status.getExitStatus()
              + (status.getDiagnostics() == null || status.getDiagnostics().isBlank()
                  ? ""
                  : ": " + status.getDiagnostics().lines().findFirst().orElse(""));
      LOG.info("TaskManager {} ended: {}", running.id, diagnostics);
      running.launched.completeExceptionally(new IllegalStateException(diagnostics));
      listener.workerEnded(running.id, diagnostics);
    }
  }

  @Override
  public String toString() {
    return "yarn";
  }

  private static final class PendingWorker {
    final TaskManagerId id;
    final CompletableFuture<Void> launched;
    ContainerRequest request;

    PendingWorker(TaskManagerId id, CompletableFuture<Void> launched) {
      this.id = id;
      this.launched = launched;
    }
  }

  private record RunningWorker(
      TaskManagerId id, Container container, CompletableFuture<Void> launched) {}

  private final class ResourceManagerCallbacks extends AMRMClientAsync.AbstractCallbackHandler {
    @Override
    public void onContainersCompleted(List<ContainerStatus> statuses) {
      completed(statuses);
    }

    @Override
    public void onContainersAllocated(List<Container> containers) {
      allocated(containers);
    }

    @Override
    public void onContainersUpdated(List<UpdatedContainer> containers) {}

    @Override
    public void onShutdownRequest() {
      LOG.warn("The YARN ResourceManager asked this ApplicationMaster to shut down");
    }

    @Override
    public void onNodesUpdated(List<NodeReport> updatedNodes) {}

    @Override
    public float getProgress() {
      return 0;
    }

    @Override
    public void onError(Throwable e) {
      LOG.error("The AM-RM client failed; no more containers can be requested", e);
    }
  }

  private final class NodeManagerCallbacks extends NMClientAsync.AbstractCallbackHandler {
    @Override
    public void onContainerStarted(ContainerId id, Map<String, ByteBuffer> serviceResponse) {
      RunningWorker running;
      synchronized (YarnWorkerDriver.this) {
        running = byContainer.get(id);
      }
      if (running != null) {
        running.launched.complete(null);
      }
    }

    @Override
    public void onStartContainerError(ContainerId id, Throwable t) {
      RunningWorker running = forget(id);
      if (running != null) {
        LOG.warn("NodeManager did not start container {} of TaskManager {}", id, running.id, t);
        resourceManager.releaseAssignedContainer(id);
        running.launched.completeExceptionally(t);
      }
    }

    @Override
    public void onContainerStatusReceived(ContainerId id, ContainerStatus status) {}

    @Override
    public void onContainerStopped(ContainerId id) {}

    @Override
    public void onContainerResourceIncreased(ContainerId id, Resource resource) {}

    @Override
    public void onContainerResourceUpdated(ContainerId id, Resource resource) {}

    @Override
    public void onGetContainerStatusError(ContainerId id, Throwable t) {}

    @Override
    public void onIncreaseContainerResourceError(ContainerId id, Throwable t) {}

    @Override
    public void onUpdateContainerResourceError(ContainerId id, Throwable t) {}

    @Override
    public void onStopContainerError(ContainerId id, Throwable t) {
      LOG.warn("NodeManager did not stop container {}: {}", id, t.toString());
    }
  }
}
