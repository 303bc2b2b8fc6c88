package io.baton.taskmanager.task;

import io.baton.common.serialization.RecordSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;

/**
 * Writes each record as an int length and its Java serialization. Keeps no state between records,
 * so any reader can read any writer's stream.
 */
final class JavaRecordSerializer implements RecordSerializer {
  private final ClassLoader userClassLoader;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);

  JavaRecordSerializer(ClassLoader userClassLoader) {
    this.userClassLoader = userClassLoader;
  }

  @Override
  public void serialize(Object record, DataOutput out) throws IOException {
    bytes.reset();
    try (ObjectOutputStream objects = new ObjectOutputStream(bytes)) {
      objects.writeObject(record);
    } catch (NotSerializableException e) {
      throw new NotSerializableException(
          "record of type "
              + record.getClass().getName()
              + " cannot be sent to the next task: it is not Serializable ("
              + e.getMessage()
              + ")");
    }
    out.writeInt(bytes.size());
    out.write(bytes.toByteArray());
  }

  @Override
  public Object deserialize(DataInput in) throws IOException {
    byte[] data = new byte[in.readInt()];
    in.readFully(data);
    try (UserCodeObjectInputStream objects =
        new UserCodeObjectInputStream(new ByteArrayInputStream(data), userClassLoader)) {
      return objects.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("record of unknown class " + e.getMessage(), e);
    }
  }
}
