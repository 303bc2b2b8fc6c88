package io.baton.taskmanager.task;

import io.baton.common.serialization.RecordSerializer;

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

  /** Java serialization of each record: slow, but handles every {@link java.io.Serializable}. */
  static RecordSerializerFactory javaSerialization() {
    return JavaRecordSerializer::new;
  }
}
