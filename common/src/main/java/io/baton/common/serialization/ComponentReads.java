package io.baton.common.serialization;

import java.io.DataInput;
import java.io.IOException;

/**
 * Reads one record component off a stream, as {@link RecordReader}'s method handles call it: an
 * {@code int} or {@code long} component without boxing, any other as a value.
 */
interface ComponentReads {
  int readInt(DataInput in) throws IOException;

  long readLong(DataInput in) throws IOException;

  Object readValue(DataInput in) throws IOException;
}
