package io.baton.coordinator.checkpoint;

/**
 * A verified checkpoint or savepoint a job (re)starts from.
 *
 * @param path its directory, as users name it
 */
public record RestorePoint(CheckpointMetadata metadata, String path) {}
