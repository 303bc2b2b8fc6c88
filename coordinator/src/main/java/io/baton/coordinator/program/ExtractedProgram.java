package io.baton.coordinator.program;

import io.baton.api.graph.JobGraph;
import io.baton.common.classloading.UserCodeClassLoader;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A validated job graph and the class loader its user objects came from. The loader must live as
 * long as the job: closing it releases the jar, after which classes not yet loaded cannot be.
 *
 * @param graph validated, vertices in topological order
 * @param classLoader loaded the job's classes from its jar
 */
public record ExtractedProgram(JobGraph graph, UserCodeClassLoader classLoader)
    implements AutoCloseable {

  /** Releases the jar; call when the job has ended. */
  @Override
  public void close() {
    try {
      classLoader.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the class loader of job " + graph.name(), e);
    }
  }
}
