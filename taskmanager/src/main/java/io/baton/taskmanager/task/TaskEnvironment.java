package io.baton.taskmanager.task;

import io.baton.common.config.Configuration;
import io.baton.common.rpc.SubmitTaskRequest;
import io.baton.taskmanager.network.NetworkEnvironment;

/**
 * What a task gets from its TaskManager.
 *
 * @param descriptor what to run, as the JobManager sent it
 * @param userClassLoader loads the job's classes (the job jar), released when the job ends here
 * @param network creates the task's result partitions and input gates
 * @param listener told about state changes
 * @param configuration the TaskManager's configuration
 */
public record TaskEnvironment(
    SubmitTaskRequest descriptor,
    ClassLoader userClassLoader,
    NetworkEnvironment network,
    TaskListener listener,
    Configuration configuration) {}
