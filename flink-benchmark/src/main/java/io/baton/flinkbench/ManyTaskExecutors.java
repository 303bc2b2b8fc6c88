package io.baton.flinkbench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.plugin.PluginUtils;
import org.apache.flink.runtime.blob.BlobCacheService;
import org.apache.flink.runtime.blob.BlobUtils;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.entrypoint.WorkingDirectory;
import org.apache.flink.runtime.externalresource.ExternalResourceInfoProvider;
import org.apache.flink.runtime.heartbeat.HeartbeatServices;
import org.apache.flink.runtime.highavailability.HighAvailabilityServices;
import org.apache.flink.runtime.highavailability.HighAvailabilityServicesUtils;
import org.apache.flink.runtime.metrics.MetricRegistryConfiguration;
import org.apache.flink.runtime.metrics.MetricRegistryImpl;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.FatalErrorHandler;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcUtils;
import org.apache.flink.runtime.security.token.DelegationTokenReceiverRepository;
import org.apache.flink.runtime.taskexecutor.TaskExecutor;
import org.apache.flink.runtime.taskexecutor.TaskExecutorResourceUtils;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;
import org.apache.flink.util.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many Flink TaskExecutors in one JVM, each registering with the standalone JobManager that the
 * configuration names (jobmanager.rpc.address/port, non-HA) and heartbeating with its resource
 * manager as a TaskManager process would: the heartbeat side of the "200 TaskManagers" benchmark.
 *
 * <p>Every TaskExecutor has its own ResourceID, its own slot table, shuffle environment (Netty data
 * port), I/O manager and working directory; they share one RPC service (one Pekko actor system,
 * each TaskExecutor an endpoint of its own on it), the HA services, the blob cache and the metric
 * registry, as the TaskExecutors of Flink's MiniCluster do. Memory is kept small (no managed
 * memory, a few network buffers) since no task ever runs.
 *
 * <p>Usage: {@code ManyTaskExecutors --configDir <dir with config.yaml> --count <n> [--slots <s>]
 * [--workDir <dir>]} (the working directories of the TaskExecutors; a temporary one by default).
 * Prints {@code started <n> TaskExecutors} once all are started, then runs until killed.
 */
public final class ManyTaskExecutors {
  private static final Logger LOG = LoggerFactory.getLogger(ManyTaskExecutors.class);

  private ManyTaskExecutors() {}

  public static void main(String[] args) throws Exception {
    String configDir = null;
    String workDir = null;
    int count = 200;
    int slots = 1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--configDir" -> configDir = args[i + 1];
        case "--workDir" -> workDir = args[i + 1];
        case "--count" -> count = Integer.parseInt(args[i + 1]);
        case "--slots" -> slots = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println("ManyTaskExecutors: unknown option '" + args[i] + "'");
          System.exit(2);
        }
      }
    }
    if (configDir == null || count < 1 || slots < 1) {
      System.err.println(
          "ManyTaskExecutors: usage: --configDir <dir> --count <n ≥ 1> [--slots <s ≥ 1>]"
              + " [--workDir <dir>]");
      System.exit(2);
    }
    Configuration config = taskExecutorConfiguration(configDir, slots);
    FatalErrorHandler exitOnFatalError =
        error -> {
          LOG.error("Fatal error in a simulated TaskExecutor; exiting", error);
          System.exit(1);
        };

    ExecutorService ioExecutor = Executors.newFixedThreadPool(4);
    RpcSystem rpcSystem = RpcSystem.load(config);
    RpcService rpcService =
        RpcUtils.createRemoteRpcService(
            rpcSystem,
            config,
            config.get(TaskManagerOptions.HOST),
            "0",
            config.get(TaskManagerOptions.BIND_HOST),
            Optional.empty());
    HighAvailabilityServices haServices =
        HighAvailabilityServicesUtils.createHighAvailabilityServices(
            config,
            ioExecutor,
            AddressResolution.NO_ADDRESS_RESOLUTION,
            rpcSystem,
            exitOnFatalError);
    HeartbeatServices heartbeats = HeartbeatServices.fromConfiguration(config);
    MetricRegistryImpl metrics =
        new MetricRegistryImpl(
            MetricRegistryConfiguration.fromConfiguration(
                config, rpcSystem.getMaximumMessageSizeInBytes(config)));
    metrics.startQueryService(rpcService, null);
    Path base =
        workDir == null
            ? Files.createTempDirectory("flink-many-taskexecutors")
            : Files.createDirectories(Path.of(workDir));
    WorkingDirectory workingDirectory = WorkingDirectory.create(base.toFile());
    BlobCacheService blobCache =
        BlobUtils.createBlobCacheService(
            config,
            Reference.borrowed(workingDirectory.getBlobStorageDirectory()),
            haServices.createBlobStore(),
            null);
    DelegationTokenReceiverRepository tokens =
        new DelegationTokenReceiverRepository(
            config, PluginUtils.createPluginManagerFromRootFolder(config));

    List<TaskExecutor> taskExecutors = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      TaskExecutor taskExecutor =
          TaskManagerRunner.startTaskManager(
              config,
              new ResourceID("simulated-tm-" + i),
              rpcService,
              haServices,
              heartbeats,
              metrics,
              blobCache,
              false,
              ExternalResourceInfoProvider.NO_EXTERNAL_RESOURCES,
              workingDirectory.createSubWorkingDirectory("tm_" + i),
              exitOnFatalError,
              tokens);
      taskExecutor.start();
      taskExecutors.add(taskExecutor);
    }
    System.out.println("started " + taskExecutors.size() + " TaskExecutors");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  /**
   * The configuration from {@code configDir} with what each TaskExecutor of this JVM needs that a
   * TaskManager's start script would otherwise compute: one slot, no managed memory, a few small
   * network buffers (allocated up front per TaskExecutor), and the memory components spelled out.
   */
  static Configuration taskExecutorConfiguration(String configDir, int slots) {
    if (!new File(configDir).isDirectory()) {
      throw new IllegalArgumentException("--configDir " + configDir + " is not a directory");
    }
    Configuration config = GlobalConfiguration.loadConfiguration(configDir);
    config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    setIfAbsent(config, TaskManagerOptions.HOST, "127.0.0.1");
    setIfAbsent(config, TaskManagerOptions.BIND_HOST, "127.0.0.1");
    setIfAbsent(config, TaskManagerOptions.CPU_CORES, (double) slots);
    setIfAbsent(config, TaskManagerOptions.TASK_HEAP_MEMORY, MemorySize.parse("16m"));
    setIfAbsent(config, TaskManagerOptions.TASK_OFF_HEAP_MEMORY, MemorySize.ZERO);
    setIfAbsent(config, TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ZERO);
    setIfAbsent(config, TaskManagerOptions.MEMORY_SEGMENT_SIZE, MemorySize.parse("4kb"));
    setIfAbsent(config, TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("128kb"));
    setIfAbsent(config, TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("128kb"));
    // framework heap/off-heap, metaspace and JVM overhead: their defaults, as a MiniCluster has
    return TaskExecutorResourceUtils.adjustForLocalExecution(config);
  }

  private static <T> void setIfAbsent(
      Configuration config, org.apache.flink.configuration.ConfigOption<T> option, T value) {
    if (!config.contains(option)) {
      config.set(option, value);
    }
  }
}
