package io.baton.common.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names classes on a stream once: the first reference to a class writes 0 and its name and gives it
 * the next id; later references write id + 1. The reader rebuilds the same table from the names it
 * sees, so a stream must be read by the reader matching its writer. Classes first named by a record
 * whose serialization failed are forgotten again, since that record never reaches the reader.
 */
final class ClassDictionary {
  private final ClassLoader classLoader;
  private final Map<Class<?>, Integer> writeIds = new HashMap<>();
  private final List<Class<?>> namedInCurrentRecord = new ArrayList<>();
  private final List<Class<?>> readClasses = new ArrayList<>();

  ClassDictionary(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  void writeClass(Class<?> type, DataOutput out) throws IOException {
    Integer id = writeIds.get(type);
    if (id != null) {
      Varints.writeUnsignedVarInt(out, id + 1);
      return;
    }
    writeIds.put(type, writeIds.size());
    namedInCurrentRecord.add(type);
    Varints.writeUnsignedVarInt(out, 0);
    byte[] name = type.getName().getBytes(StandardCharsets.UTF_8);
    Varints.writeUnsignedVarInt(out, name.length);
    out.write(name);
  }

  Class<?> readClass(DataInput in) throws IOException {
    int ref = Varints.readUnsignedVarInt(in);
    if (ref > 0) {
      if (ref > readClasses.size()) {
        throw new IOException(
            "unknown class id "
                + (ref - 1)
                + ": the stream is read by a serializer that did not read it from its start");
      }
      return readClasses.get(ref - 1);
    }
    int length = Varints.readUnsignedVarInt(in);
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    String name = new String(bytes, StandardCharsets.UTF_8);
    try {
      Class<?> type = Class.forName(name, false, classLoader);
      readClasses.add(type);
      return type;
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IOException(
          "record class '" + name + "' is not found by the job's class loader", e);
    }
  }

  /** The current record was written completely: its new class names are on the stream. */
  void recordWritten() {
    namedInCurrentRecord.clear();
  }

  /**
   * The current record failed: forget the ids it gave out (the highest ones, so ids stay dense).
   */
  void recordFailed() {
    namedInCurrentRecord.forEach(writeIds::remove);
    namedInCurrentRecord.clear();
  }

  /** Number of classes named so far by the writer side; for tests. */
  int writtenClassCount() {
    return writeIds.size();
  }
}
