package io.baton.coordinator.dispatcher;

import io.baton.common.rpc.TaskState;

/** One parallel instance of a vertex in its current attempt. */
public record SubtaskDetails(
    int subtask,
    TaskState status,
    int attempt,
    String taskManagerId,
    String host,
    long recordsIn,
    long recordsOut) {}
