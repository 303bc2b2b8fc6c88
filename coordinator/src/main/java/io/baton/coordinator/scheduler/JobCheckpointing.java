package io.baton.coordinator.scheduler;

import io.baton.coordinator.checkpoint.CheckpointServices;
import io.baton.coordinator.checkpoint.CheckpointSettings;
import io.baton.coordinator.checkpoint.RestorePoint;
import java.util.Optional;

/**
 * How one job is checkpointed: the JobManager's checkpoint storage and stores, the job's settings,
 * and where it started.
 *
 * @param initialRestore the verified savepoint or retained checkpoint the job was submitted with; a
 *     restart without a completed checkpoint starts there again
 */
public record JobCheckpointing(
    CheckpointServices services,
    CheckpointSettings settings,
    Optional<RestorePoint> initialRestore) {}
