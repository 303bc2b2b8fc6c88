package io.baton.coordinator.jobmaster;

import io.baton.api.graph.JobGraph;
import java.util.Optional;

/**
 * A validated job graph ready to be scheduled.
 *
 * @param graph validated, vertices in topological order
 * @param blobKey the job jar in the {@link io.baton.coordinator.blob.BlobStore}; empty when the
 *     job's classes are on the cluster's class path (tests)
 * @param savepointPath state to start from; empty for a fresh start
 */
public record JobSubmission(
    JobGraph graph, Optional<String> blobKey, Optional<String> savepointPath) {}
