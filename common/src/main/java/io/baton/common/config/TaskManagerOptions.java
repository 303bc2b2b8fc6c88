package io.baton.common.config;

import static io.baton.common.config.ConfigOption.durationOption;
import static io.baton.common.config.ConfigOption.intOption;
import static io.baton.common.config.ConfigOption.stringOption;

import java.time.Duration;

/** The TaskManager process and its data exchange. */
public final class TaskManagerOptions {
  private TaskManagerOptions() {}

  public static final ConfigOption<Integer> NUM_TASK_SLOTS =
      intOption(
              "taskmanager.numberOfTaskSlots",
              1,
              "Slots a TaskManager offers; one slot runs one subtask of each operator of a job.")
          .between(1, 1024);

  public static final ConfigOption<String> HOST =
      stringOption(
          "taskmanager.host", "localhost", "Address other processes reach this TaskManager at.");

  public static final ConfigOption<Integer> RPC_PORT =
      intOption(
              "taskmanager.rpc.port",
              0,
              "Port of the TaskManager's gRPC endpoint (control and data); 0 picks a free port.")
          .between(0, 65535);

  public static final ConfigOption<String> BIND_HOST =
      stringOption(
          "taskmanager.bind-host", "0.0.0.0", "Interface the TaskManager's RPC server binds to.");

  public static final ConfigOption<Integer> BUFFER_SIZE =
      intOption(
              "taskmanager.network.buffer-size",
              32 * 1024,
              "Bytes of records in one network buffer.")
          .between(64, 64 * 1024 * 1024);

  public static final ConfigOption<Integer> BUFFERS_PER_CHANNEL =
      intOption(
              "taskmanager.network.buffers-per-channel",
              4,
              "Credits a consumer grants per input channel: the most buffers in flight per channel.")
          .atLeast(1);

  public static final ConfigOption<Integer> BUFFERS_PER_SUBPARTITION =
      intOption(
              "taskmanager.network.buffers-per-subpartition",
              4,
              "Buffers a producer queues per consumer before its task blocks (backpressure).")
          .atLeast(1);

  public static final ConfigOption<Duration> BUFFER_TIMEOUT =
      durationOption(
              "execution.buffer-timeout",
              Duration.ofMillis(100),
              "Longest time a partly filled buffer waits before it is sent.")
          .atLeast(Duration.ZERO);

  public static final ConfigOption<Duration> REGISTRATION_TIMEOUT =
      durationOption(
              "taskmanager.registration.timeout",
              Duration.ofMinutes(5),
              "How long a TaskManager keeps trying to register before it exits.")
          .positive();

  public static final ConfigOption<Duration> TASK_CANCELLATION_TIMEOUT =
      durationOption(
              "task.cancellation.timeout",
              Duration.ofSeconds(30),
              "How long a task may take to stop after cancel before the TaskManager declares it failed.")
          .positive();

  public static final ConfigOption<String> RESOURCE_ID =
      stringOption(
              "taskmanager.resource-id",
              null,
              "This TaskManager's id (32 hex digits); unset: a random one. Set by an active"
                  + " resource manager driver so it recognises the worker it started.")
          .checkedBy(OptionRange.of(id -> id.matches("[0-9a-f]{32}"), "32 lower-case hex digits"));
}
