package io.baton.common.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed reading side of records: what {@link RecordReader} reads must equal what was written,
 * component by component, and a record it cannot take still round-trips through the general path.
 */
class RecordReaderTest {
  private final ClassLoader loader = getClass().getClassLoader();

  record Inner(String name, long value) {}

  record Mixed(int id, long amount, String label, Inner inner, Long boxed, List<String> tags) {}

  record Primitives(boolean flag, byte b, short s, char c, float f, double d, int i, long l) {}

  record Empty() {}

  private record Hidden(long secret, String note) {
    private Hidden {}
  }

  record Validated(int amount) {
    Validated {
      if (amount < 0) {
        throw new IllegalArgumentException("amount " + amount + " is negative");
      }
    }
  }

  record Labelled(String label) {}

  private byte[] write(Object... values) throws IOException {
    TaggedRecordSerializer writer = new TaggedRecordSerializer(loader);
    RecordDataOutput out = new RecordDataOutput(64);
    for (Object value : values) {
      writer.serialize(value, out);
    }
    return Arrays.copyOf(out.array(), out.size());
  }

  private List<Object> read(byte[] bytes, int count) throws IOException {
    TaggedRecordSerializer reader = new TaggedRecordSerializer(loader);
    RecordDataInput in = new RecordDataInput();
    in.reset(bytes, 0, bytes.length);
    Object[] values = new Object[count];
    for (int i = 0; i < count; i++) {
      values[i] = reader.deserialize(in);
    }
    assertThat(in.remaining()).as("bytes left after the records").isZero();
    return Arrays.asList(values);
  }

  @Test
  void intLongStringNestedAndNullComponentsRoundTripInOrder() throws IOException {
    List<Object> records =
        List.of(
            new Mixed(7, Long.MIN_VALUE, "a", new Inner("x", 1L << 40), 12L, List.of("t")),
            new Mixed(-1, 0, null, null, null, null),
            new Mixed(
                Integer.MAX_VALUE, -300, "ü€", new Inner(null, -1), Long.MAX_VALUE, List.of()));

    assertThat(read(write(records.toArray()), records.size())).isEqualTo(records);
    assertThat(RecordReader.of(Mixed.class, new ThrowingReads())).isPresent();
    assertThat(RecordReader.of(Inner.class, new ThrowingReads())).isPresent();
  }

  @Test
  void everyPrimitiveComponentAndAnEmptyRecordRoundTrip() throws IOException {
    Primitives all = new Primitives(true, (byte) -3, (short) 1000, 'ß', 1.5f, -2.25, -9, 1L << 50);

    assertThat(read(write(all, new Empty(), all), 3)).containsExactly(all, new Empty(), all);
  }

  @Test
  void aRecordWithANonPublicConstructorRoundTrips() throws IOException {
    Hidden hidden = new Hidden(42, "only here");

    assertThat(read(write(hidden, hidden), 2)).containsExactly(hidden, hidden);
  }

  /**
   * 127 long components fill the 254 argument slots a constructor may have, one more than a method
   * handle taking the stream as well can carry: such a record is read through its layout.
   */
  @Test
  void aRecordTooWideForAMethodHandleFallsBackAndRoundTrips(@TempDir Path dir) throws Exception {
    String components =
        String.join(", ", IntStream.range(0, 127).mapToObj(i -> "long c" + i).toList());
    try (URLClassLoader jobLoader =
        CompiledJobClass.compile(
            dir, "Wide", "package job; public record Wide(" + components + ") {}", loader)) {
      Class<?> wideClass = jobLoader.loadClass("job.Wide");
      Constructor<?> constructor = wideClass.getDeclaredConstructors()[0];
      Object[] values = IntStream.range(0, 127).mapToObj(i -> (Object) (i * 1_000_003L)).toArray();
      Object wide = constructor.newInstance(values);

      assertThat(RecordReader.of(wideClass, new ThrowingReads())).isEmpty();
      RecordDataOutput out = new RecordDataOutput(64);
      new TaggedRecordSerializer(jobLoader).serialize(wide, out);
      RecordDataInput in = new RecordDataInput();
      in.reset(out.array(), 0, out.size());
      assertThat(new TaggedRecordSerializer(jobLoader).deserialize(in)).isEqualTo(wide);
    }
  }

  @Test
  void aConstructorThatRefusesItsFieldsFailsTheReadWithItsOwnError() throws IOException {
    byte[] bytes = recordOfOneComponent(Validated.class, TaggedRecordSerializer.INT, -5);

    assertThatThrownBy(() -> read(bytes, 1))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot create a " + Validated.class.getName() + " from its fields")
        .hasRootCauseMessage("amount -5 is negative");
  }

  @Test
  void aValueOfTheWrongTypeOnTheStreamIsRefusedWithTheRecordsName() throws IOException {
    byte[] longForString = recordOfOneComponent(Labelled.class, TaggedRecordSerializer.LONG, 9);
    byte[] nullForInt = recordOfOneComponent(Validated.class, TaggedRecordSerializer.NULL, 0);

    assertThatThrownBy(() -> read(longForString, 1))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot create a " + Labelled.class.getName() + " from its fields")
        .hasCauseInstanceOf(ClassCastException.class);
    assertThatThrownBy(() -> read(nullForInt, 1))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "a record component that is an int holds null on the stream: the stream is corrupt or"
                + " misaligned");
  }

  /** Reading a record of int and long components allocates the record and nothing else. */
  @Test
  void readingARecordOfPrimitivesAllocatesNoArrayAndNoBoxes() throws IOException {
    int count = 20_000;
    Object[] records = new Object[count];
    for (int i = 0; i < count; i++) {
      records[i] =
          new TaggedRecordSerializerTest.Counters(1_000_000L * i, 1000 + i, -7_000_000L * i);
    }
    byte[] bytes = write(records);
    TaggedRecordSerializer reader = new TaggedRecordSerializer(loader);
    RecordDataInput in = new RecordDataInput();
    for (int round = 0; round < 20; round++) {
      in.reset(bytes, 0, bytes.length);
      for (int i = 0; i < count; i++) {
        reader.deserialize(in); // warms the handles up
      }
    }

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    in.reset(bytes, 0, bytes.length);
    long before = threads.getThreadAllocatedBytes(thread);
    Object last = null;
    for (int i = 0; i < count; i++) {
      last = reader.deserialize(in);
    }
    long perRecord = (threads.getThreadAllocatedBytes(thread) - before) / count;

    assertThat(last).isEqualTo(records[count - 1]);
    // the record itself is 32 bytes; an Object[] and three boxes would add about 80
    assertThat(perRecord).as("bytes allocated per record read").isLessThanOrEqualTo(40);
  }

  /** A record of one component: the class, then the component's tag and zig-zag varint. */
  private static byte[] recordOfOneComponent(Class<?> type, byte tag, long value)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    byte[] name = type.getName().getBytes(StandardCharsets.UTF_8);
    out.writeByte(TaggedRecordSerializer.RECORD);
    Varints.writeUnsignedVarInt(out, 0);
    Varints.writeUnsignedVarInt(out, name.length);
    out.write(name);
    out.writeByte(tag);
    if (tag != TaggedRecordSerializer.NULL) {
      Varints.writeUnsignedVarLong(out, Varints.zigZag(value));
    }
    return bytes.toByteArray();
  }

  /** For building readers only: nothing is read through it. */
  private static final class ThrowingReads implements ComponentReads {
    @Override
    public int readInt(java.io.DataInput in) {
      throw new AssertionError("not read");
    }

    @Override
    public long readLong(java.io.DataInput in) {
      throw new AssertionError("not read");
    }

    @Override
    public Object readValue(java.io.DataInput in) {
      throw new AssertionError("not read");
    }
  }
}
