package io.baton.taskmanager.task;

import io.baton.api.graph.JobVertex;
import io.baton.api.graph.TaskVertex;
import io.baton.common.serialization.FilteredObjectInputStream;
import io.baton.common.serialization.RefusedClassException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.util.List;

/** Reads the deployed vertex from its deployment's serialized vertex bytes. */
final class TaskVertexReader {
  private TaskVertexReader() {}

  /**
   * @return the vertex and its outgoing edges; a bare {@link JobVertex} is read as one without edge
   *     details
   * @throws IOException naming what could not be read, e.g. a class missing from the job jar
   */
  static TaskVertex read(byte[] serialized, ClassLoader userClassLoader) throws IOException {
    if (serialized.length == 0) {
      throw new IOException("the deployment carries no vertex (serialized_vertex is empty)");
    }
    Object read;
    try (FilteredObjectInputStream in =
        new FilteredObjectInputStream(
            new ByteArrayInputStream(serialized), userClassLoader, "the deployed vertex")) {
      read = in.readFiltered();
    } catch (RefusedClassException e) {
      throw e;
    } catch (ClassNotFoundException e) {
      throw new IOException(
          "cannot load class " + e.getMessage() + " of the job's vertex: is it in the job jar?", e);
    } catch (InvalidClassException e) {
      throw new IOException(
          "the job's class " + e.classname + " does not match the job jar: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException("cannot read the deployed vertex: " + e, e);
    }
    if (read instanceof TaskVertex taskVertex) {
      return taskVertex;
    }
    if (read instanceof JobVertex vertex) {
      return new TaskVertex(vertex, List.of());
    }
    throw new IOException(
        "serialized_vertex holds a "
            + (read == null ? "null" : read.getClass().getName())
            + ", expected a "
            + TaskVertex.class.getName());
  }
}
