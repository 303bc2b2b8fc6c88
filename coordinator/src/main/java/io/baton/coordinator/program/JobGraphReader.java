package io.baton.coordinator.program;

import io.baton.api.graph.JobGraph;
import io.baton.common.serialization.FilteredObjectInputStream;
import io.baton.common.serialization.RefusedClassException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the job graph a {@link JobGraphBuilderMain} child wrote, resolving the job's classes with
 * the job jar's class loader. The child ran user code, so its file is as untrusted as the jar: this
 * is the one place where the JobManager deserializes it, through Baton's deserialization filter.
 */
final class JobGraphReader {
  private final ClassLoader classLoader;

  JobGraphReader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  /**
   * @throws IOException naming what is wrong when the file holds no readable job graph
   */
  JobGraph read(Path file) throws IOException {
    Object read;
    try (InputStream bytes = Files.newInputStream(file);
        FilteredObjectInputStream in =
            new FilteredObjectInputStream(bytes, classLoader, "the job graph main() built")) {
      read = in.readFiltered();
    } catch (RefusedClassException e) {
      throw new IOException(e.getMessage(), e);
    } catch (ClassNotFoundException e) {
      throw new IOException("class " + e.getMessage() + " of the job is not in its jar", e);
    } catch (IOException | RuntimeException e) {
      throw new IOException("garbled job graph: " + ErrorText.describe(e), e);
    }
    if (!(read instanceof JobGraph graph)) {
      throw new IOException("garbled job graph: holds a " + read.getClass().getName());
    }
    return graph;
  }
}
