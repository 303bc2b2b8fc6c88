package io.baton.common.serialization;

import io.baton.api.tuple.Tuple2;
import io.baton.api.tuple.Tuple3;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link RecordSerializer} of Baton's data exchange. Every value starts with one tag byte that
 * says what follows: nothing for null and booleans, the value for boxed primitives, UTF-8 bytes for
 * strings, tagged fields for tuples, Java records and POJOs, tagged elements for lists and maps,
 * and Kryo's bytes for anything else. Integers and lengths are varints, so small numbers take one
 * byte; class names are written once per stream (see {@link ClassDictionary}). Java serialization
 * is never used.
 *
 * <p>Not thread-safe; one instance per writer and one per reader.
 */
public final class TaggedRecordSerializer implements RecordSerializer {
  static final byte NULL = 0;
  static final byte TRUE = 1;
  static final byte FALSE = 2;
  static final byte BYTE = 3;
  static final byte SHORT = 4;
  static final byte INT = 5;
  static final byte LONG = 6;
  static final byte FLOAT = 7;
  static final byte DOUBLE = 8;
  static final byte CHAR = 9;
  static final byte STRING = 10;
  static final byte BYTES = 11;
  static final byte ENUM = 12;
  static final byte TUPLE2 = 13;
  static final byte TUPLE3 = 14;
  static final byte RECORD = 15;
  static final byte POJO = 16;
  static final byte ARRAY_LIST = 17;
  static final byte HASH_MAP = 18;
  static final byte LINKED_HASH_MAP = 19;
  static final byte KRYO = 20;

  /** How values of a class other than the fixed ones are written. */
  private enum Encoding {
    ENUM,
    RECORD,
    POJO,
    LIST,
    MAP,
    LINKED_MAP,
    KRYO
  }

  /** How one class is written, found once per class and stream. */
  private record ClassEncoding(Encoding encoding, FieldLayout layout) {}

  private final ClassDictionary classes;
  private final KryoFallback kryo;
  private final Map<Class<?>, ClassEncoding> encodings = new HashMap<>();
  private final Map<Class<?>, FieldLayout> layouts = new HashMap<>();
  // typed readers of record classes; empty where a record is read through its layout
  private final Map<Class<?>, Optional<RecordReader>> recordReaders = new HashMap<>();
  private final ComponentReads components = new Components();
  // the class written last: a stream mostly carries one type, so this spares the map lookup
  private Class<?> lastType;
  private ClassEncoding lastEncoding;
  // and the record class read last, for the same reason
  private Class<?> lastReadType;
  private Optional<RecordReader> lastReader;

  /**
   * @param classLoader resolves the class names on the stream; the job's user-code class loader
   */
  public TaggedRecordSerializer(ClassLoader classLoader) {
    Objects.requireNonNull(classLoader, "classLoader");
    this.classes = new ClassDictionary(classLoader);
    this.kryo = new KryoFallback(classLoader);
  }

  @Override
  public void serialize(Object record, DataOutput out) throws IOException {
    try {
      write(record, out);
      classes.recordWritten();
    } catch (IOException | RuntimeException e) {
      classes.recordFailed();
      throw e;
    }
  }

  @Override
  public Object deserialize(DataInput in) throws IOException {
    return read(in);
  }

  /** Number of classes this instance has named on its output so far. */
  int classesWritten() {
    return classes.writtenClassCount();
  }

  private void write(Object value, DataOutput out) throws IOException {
    if (value != null && value.getClass() == lastType) {
      // the record type of this stream, once more: skip the tests for the fixed types
      writeByEncoding(value, out);
    } else if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof String s) {
      out.writeByte(STRING);
      writeString(s, out);
    } else if (value instanceof Integer i) {
      out.writeByte(INT);
      Varints.writeUnsignedVarInt(out, Varints.zigZag(i));
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      Varints.writeUnsignedVarLong(out, Varints.zigZag(l));
    } else if (value instanceof Boolean b) {
      out.writeByte(b ? TRUE : FALSE);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (value instanceof Float f) {
      out.writeByte(FLOAT);
      out.writeFloat(f);
    } else if (value instanceof Short s) {
      out.writeByte(SHORT);
      out.writeShort(s);
    } else if (value instanceof Byte b) {
      out.writeByte(BYTE);
      out.writeByte(b);
    } else if (value instanceof Character c) {
      out.writeByte(CHAR);
      out.writeChar(c);
    } else if (value instanceof byte[] bytes) {
      out.writeByte(BYTES);
      Varints.writeUnsignedVarInt(out, bytes.length);
      out.write(bytes);
    } else if (value instanceof Tuple2<?, ?> t) {
      out.writeByte(TUPLE2);
      write(t.f0(), out);
      write(t.f1(), out);
    } else if (value instanceof Tuple3<?, ?, ?> t) {
      out.writeByte(TUPLE3);
      write(t.f0(), out);
      write(t.f1(), out);
      write(t.f2(), out);
    } else {
      writeByEncoding(value, out);
    }
  }

  private ClassEncoding encodingFor(Class<?> type) {
    if (type == lastType) {
      return lastEncoding;
    }
    ClassEncoding encoding = encodings.get(type);
    if (encoding == null) {
      Encoding how = encodingOf(type);
      encoding = new ClassEncoding(how, layouts.get(type));
      encodings.put(type, encoding);
    }
    lastType = type;
    lastEncoding = encoding;
    return encoding;
  }

  private void writeByEncoding(Object value, DataOutput out) throws IOException {
    Class<?> type = value.getClass();
    ClassEncoding encoding = encodingFor(type);
    switch (encoding.encoding()) {
      case ENUM -> {
        Enum<?> constant = (Enum<?>) value;
        out.writeByte(ENUM);
        classes.writeClass(constant.getDeclaringClass(), out);
        Varints.writeUnsignedVarInt(out, constant.ordinal());
      }
      case RECORD -> writeFields(RECORD, type, encoding.layout(), value, out);
      case POJO -> writeFields(POJO, type, encoding.layout(), value, out);
      case LIST -> {
        List<?> list = (List<?>) value;
        out.writeByte(ARRAY_LIST);
        Varints.writeUnsignedVarInt(out, list.size());
        for (Object element : list) {
          write(element, out);
        }
      }
      case MAP, LINKED_MAP -> {
        Map<?, ?> map = (Map<?, ?>) value;
        out.writeByte(encoding.encoding() == Encoding.MAP ? HASH_MAP : LINKED_HASH_MAP);
        Varints.writeUnsignedVarInt(out, map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          write(entry.getKey(), out);
          write(entry.getValue(), out);
        }
      }
      case KRYO -> {
        out.writeByte(KRYO);
        classes.writeClass(type, out);
        kryo.write(value, out);
      }
    }
  }

  /**
   * Writes the fields one by one; an {@code int} or {@code long} field is written as its boxed
   * value would be (tag and zig-zag varint), without boxing it.
   */
  private void writeFields(
      byte tag, Class<?> type, FieldLayout layout, Object value, DataOutput out)
      throws IOException {
    out.writeByte(tag);
    classes.writeClass(type, out);
    try {
      for (int i = 0, n = layout.fieldCount(); i < n; i++) {
        switch (layout.kind(i)) {
          case INT -> {
            out.writeByte(INT);
            Varints.writeUnsignedVarInt(out, Varints.zigZag(layout.intValue(value, i)));
          }
          case LONG -> {
            out.writeByte(LONG);
            Varints.writeUnsignedVarLong(out, Varints.zigZag(layout.longValue(value, i)));
          }
          case OTHER -> write(layout.value(value, i), out);
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot read the fields of a " + type.getName(), cause(e));
    }
  }

  /**
   * Exact ArrayList and HashMap keep their class; the JDK's other, non-public lists and maps
   * (List.of, Arrays.asList, unmodifiable views) can only be held as List or Map, so they come back
   * as ArrayList or insertion-ordered LinkedHashMap. Public collection classes a field may name
   * (LinkedList, TreeMap, ...) go to Kryo, which keeps their class.
   */
  private Encoding encodingOf(Class<?> type) {
    if (type.isEnum() || (type.getSuperclass() != null && type.getSuperclass().isEnum())) {
      return Encoding.ENUM;
    }
    if (type.isRecord()) {
      try {
        layouts.put(type, FieldLayout.ofRecord(type));
        return Encoding.RECORD;
      } catch (RuntimeException closedToReflection) {
        return Encoding.KRYO; // e.g. a record in a module that does not open its package
      }
    }
    if (type == ArrayList.class || isHiddenJdkImplementation(type, List.class)) {
      return Encoding.LIST;
    }
    if (type == HashMap.class) {
      return Encoding.MAP;
    }
    if (type == LinkedHashMap.class || isHiddenJdkImplementation(type, Map.class)) {
      return Encoding.LINKED_MAP;
    }
    return FieldLayout.ofPojo(type)
        .map(
            layout -> {
              layouts.put(type, layout);
              return Encoding.POJO;
            })
        .orElse(Encoding.KRYO);
  }

  private static boolean isHiddenJdkImplementation(Class<?> type, Class<?> collection) {
    return collection.isAssignableFrom(type)
        && type.getName().startsWith("java.util.")
        && !java.lang.reflect.Modifier.isPublic(type.getModifiers());
  }

  private Object read(DataInput in) throws IOException {
    return readTagged(in.readByte(), in);
  }

  private Object readTagged(byte tag, DataInput in) throws IOException {
    switch (tag) {
      case NULL:
        return null;
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      case BYTE:
        return in.readByte();
      case SHORT:
        return in.readShort();
      case INT:
        return Varints.unZigZag(Varints.readUnsignedVarInt(in));
      case LONG:
        return Varints.unZigZag(Varints.readUnsignedVarLong(in));
      case FLOAT:
        return in.readFloat();
      case DOUBLE:
        return in.readDouble();
      case CHAR:
        return in.readChar();
      case STRING:
        return readString(in);
      case BYTES:
        {
          byte[] bytes = new byte[readLength(in)];
          in.readFully(bytes);
          return bytes;
        }
      case ENUM:
        return readEnum(in);
      case TUPLE2:
        return new Tuple2<>(read(in), read(in));
      case TUPLE3:
        return new Tuple3<>(read(in), read(in), read(in));
      case RECORD:
      case POJO:
        return readFields(tag, in);
      case ARRAY_LIST:
        {
          int size = readLength(in);
          List<Object> list = new ArrayList<>(Math.min(size, 1024));
          for (int i = 0; i < size; i++) {
            list.add(read(in));
          }
          return list;
        }
      case HASH_MAP:
      case LINKED_HASH_MAP:
        {
          int size = readLength(in);
          Map<Object, Object> map = tag == HASH_MAP ? new HashMap<>() : new LinkedHashMap<>();
          for (int i = 0; i < size; i++) {
            map.put(read(in), read(in));
          }
          return map;
        }
      case KRYO:
        return kryo.read(classes.readClass(in), in);
      default:
        throw new IOException("unknown value tag " + tag + ": the stream is corrupt or misaligned");
    }
  }

  private Object readEnum(DataInput in) throws IOException {
    Class<?> type = classes.readClass(in);
    Object[] constants = type.getEnumConstants();
    int ordinal = Varints.readUnsignedVarInt(in);
    if (constants == null || ordinal >= constants.length) {
      throw new IOException("enum " + type.getName() + " has no constant with ordinal " + ordinal);
    }
    return constants[ordinal];
  }

  private Object readFields(byte tag, DataInput in) throws IOException {
    Class<?> type = classes.readClass(in);
    if (tag == RECORD) {
      Optional<RecordReader> reader = recordReaderFor(type);
      if (reader.isPresent()) {
        return reader.get().read(in);
      }
    }
    FieldLayout layout = layouts.get(type);
    if (layout == null) {
      layout =
          tag == RECORD
              ? (type.isRecord() ? FieldLayout.ofRecord(type) : null)
              : FieldLayout.ofPojo(type).orElse(null);
      if (layout == null) {
        throw new IOException(
            type.getName() + " is not a " + (tag == RECORD ? "record" : "POJO") + " here");
      }
      layouts.put(type, layout);
    }
    Object[] values = new Object[layout.fieldCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = read(in);
    }
    try {
      return layout.create(values);
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      throw new IOException("cannot create a " + type.getName() + " from its fields", cause(e));
    }
  }

  private Optional<RecordReader> recordReaderFor(Class<?> type) {
    if (type != lastReadType) {
      lastReader = recordReaders.computeIfAbsent(type, t -> RecordReader.of(t, components));
      lastReadType = type;
    }
    return lastReader;
  }

  /**
   * An {@code int} or {@code long} component is always written with its boxed value's tag; any
   * other value there is read as it is and widened as a reflective constructor call would, or
   * refused.
   */
  private final class Components implements ComponentReads {
    @Override
    public int readInt(DataInput in) throws IOException {
      byte tag = in.readByte();
      if (tag == INT) {
        return Varints.unZigZag(Varints.readUnsignedVarInt(in));
      }
      return (int) widened(readTagged(tag, in), false);
    }

    @Override
    public long readLong(DataInput in) throws IOException {
      byte tag = in.readByte();
      if (tag == LONG) {
        return Varints.unZigZag(Varints.readUnsignedVarLong(in));
      }
      return widened(readTagged(tag, in), true);
    }

    @Override
    public Object readValue(DataInput in) throws IOException {
      return read(in);
    }

    /** A value widened to an int or a long, as a reflective constructor call would. */
    private static long widened(Object value, boolean toLong) throws IOException {
      if (value instanceof Byte || value instanceof Short || (toLong && value instanceof Integer)) {
        return ((Number) value).longValue();
      }
      if (value instanceof Character c) {
        return c;
      }
      throw new IOException(
          "a record component that is "
              + (toLong ? "a long" : "an int")
              + " holds "
              + (value == null ? "null" : "a " + value.getClass().getName())
              + " on the stream: the stream is corrupt or misaligned");
    }
  }

  private static Throwable cause(Exception e) {
    return e instanceof InvocationTargetException ite && ite.getCause() != null
        ? ite.getCause()
        : e;
  }

  private static void writeString(String s, DataOutput out) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    Varints.writeUnsignedVarInt(out, bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInput in) throws IOException {
    byte[] bytes = new byte[readLength(in)];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static int readLength(DataInput in) throws IOException {
    int length = Varints.readUnsignedVarInt(in);
    if (length < 0) {
      throw new IOException("negative length " + length + ": the stream is corrupt");
    }
    return length;
  }
}
