package io.baton.taskmanager.task;

import io.baton.common.serialization.RecordSerializer;
import io.baton.common.serialization.TaggedRecordSerializer;

/**
 * Makes the serializers a task writes and reads records with: one per output subpartition and one
 * per input channel, since a serializer may keep per-stream state. Producer and consumer must use
 * the same kind.
 */
@FunctionalInterface
public interface RecordSerializerFactory {

  /**
   * @param userClassLoader resolves the job's classes when reading
   */
  RecordSerializer create(ClassLoader userClassLoader);

  /** Baton's record format: field by field for common types, Kryo for the rest. */
  static RecordSerializerFactory tagged() {
    return TaggedRecordSerializer::new;
  }
}
