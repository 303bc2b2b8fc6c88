package io.baton.common.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes and reads records of any type without Java serialization for the common ones: null, boxed
 * primitives, String, byte[], Java records, {@code io.baton.api.tuple} tuples and POJOs are written
 * field by field; anything else goes through Kryo. Classes are resolved with the job's class
 * loader. Instances keep per-stream state (class dictionaries) and are not thread-safe: use one per
 * writer and one per reader, and read a stream with the reader matching its writer.
 */
public interface RecordSerializer {

  void serialize(Object record, DataOutput out) throws IOException;

  Object deserialize(DataInput in) throws IOException;
}
