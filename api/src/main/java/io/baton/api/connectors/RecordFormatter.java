package io.baton.api.connectors;

import java.io.Serializable;

/** Turns a record into the line a {@link FileSink} writes (without the line break). */
@FunctionalInterface
public interface RecordFormatter<T> extends Serializable {
  String format(T record) throws Exception;
}
