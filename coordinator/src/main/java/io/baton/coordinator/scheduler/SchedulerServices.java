package io.baton.coordinator.scheduler;

import io.baton.common.concurrent.MainThreadExecutor;
import io.baton.coordinator.metrics.JobManagerMetrics;
import io.baton.coordinator.resourcemanager.ResourceManagerGateway;
import java.time.Clock;
import java.time.Duration;

/**
 * What the scheduler of one job runs with: where its slots come from, the job master's main thread
 * (every change to the job's execution graph runs there), the clock, how long cancelled tasks get
 * to stop, and the JobManager's metrics.
 *
 * @param cancelTimeout after this, tasks that did not report back from a cancellation count as
 *     canceled
 */
public record SchedulerServices(
    ResourceManagerGateway resourceManager,
    MainThreadExecutor mainThread,
    Clock clock,
    Duration cancelTimeout,
    JobManagerMetrics metrics) {}
