package io.baton.taskmanager.task;

import io.baton.api.tuple.Tuple2;
import io.baton.common.serialization.RecordSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** A small tagged serializer for the record types the tests send: strings, numbers, pairs. */
public final class TestRecordSerializer implements RecordSerializer {
  private static final int NULL = 0;
  private static final int STRING = 1;
  private static final int INT = 2;
  private static final int LONG = 3;
  private static final int TUPLE2 = 4;

  public static RecordSerializerFactory factory() {
    return classLoader -> new TestRecordSerializer();
  }

  @Override
  public void serialize(Object record, DataOutput out) throws IOException {
    if (record == null) {
      out.writeByte(NULL);
    } else if (record instanceof String s) {
      out.writeByte(STRING);
      out.writeUTF(s);
    } else if (record instanceof Integer i) {
      out.writeByte(INT);
      out.writeInt(i);
    } else if (record instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (record instanceof Tuple2<?, ?> t) {
      out.writeByte(TUPLE2);
      serialize(t.f0(), out);
      serialize(t.f1(), out);
    } else {
      throw new IOException("test serializer cannot write " + record.getClass().getName());
    }
  }

  @Override
  public Object deserialize(DataInput in) throws IOException {
    int tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case STRING -> in.readUTF();
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case TUPLE2 -> Tuple2.of(deserialize(in), deserialize(in));
      default -> throw new IOException("unknown tag " + tag);
    };
  }
}
