package io.baton.common.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.api.tuple.Tuple2;
import io.baton.api.tuple.Tuple3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaggedRecordSerializerTest {
  private final ClassLoader loader = getClass().getClassLoader();
  private final TaggedRecordSerializer writer = new TaggedRecordSerializer(loader);
  private final TaggedRecordSerializer reader = new TaggedRecordSerializer(loader);

  enum Side {
    BUY,
    SELL {
      @Override
      public String toString() {
        return "sell!";
      }
    }
  }

  record Trade(String symbol, long quantity, Side side, double price) {}

  record Order(int id, Trade trade, List<Trade> fills, Map<String, Integer> tags, byte[] note) {}

  record Counters(long a, int b, long c) implements Serializable {}

  /** A POJO that is not Serializable: it can only travel without Java serialization. */
  public static class Account {
    public String owner;
    private long balance;
    protected List<String> history = new ArrayList<>();
    transient String cache = "not sent";
    static String shared = "static";

    public Account() {}

    Account(String owner, long balance) {
      this.owner = owner;
      this.balance = balance;
      this.history.add("opened");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Account a
          && Objects.equals(owner, a.owner)
          && balance == a.balance
          && history.equals(a.history);
    }

    @Override
    public int hashCode() {
      return Objects.hash(owner, balance);
    }
  }

  /** A POJO that inherits fields. */
  public static class SavingsAccount extends Account {
    public double rate;

    public SavingsAccount() {}
  }

  /** No no-arg constructor and not Serializable: only Kryo can take it. */
  static final class Money {
    private final long cents;
    private final String currency;

    Money(long cents, String currency) {
      this.cents = cents;
      this.currency = currency;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Money m && m.cents == cents && m.currency.equals(currency);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(cents);
    }
  }

  /** A record whose accessor fails, so its serialization fails halfway. */
  record Exploding(String value) {
    @Override
    public String value() {
      throw new IllegalStateException("boom");
    }
  }

  private static byte[] serialize(TaggedRecordSerializer serializer, Object value)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    serializer.serialize(value, new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  private static Object deserialize(TaggedRecordSerializer serializer, byte[] bytes)
      throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    Object value = serializer.deserialize(in);
    assertThat(in.available()).as("bytes left after the record").isZero();
    return value;
  }

  private Object roundTrip(Object value) throws IOException {
    return deserialize(reader, serialize(writer, value));
  }

  record Booking(long index, int key, long amount, Long boxed) {}

  /**
   * Int and long components are read without boxing, but must stay on the stream exactly as their
   * boxed values were written before, or checkpoints and mixed-version streams would not read.
   */
  @Test
  void recordComponentsKeepTheirBoxedWireFormat() throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(expected);
    byte[] name = Booking.class.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeByte(TaggedRecordSerializer.RECORD);
    Varints.writeUnsignedVarInt(out, 0); // first mention of the class: its name follows
    Varints.writeUnsignedVarInt(out, name.length);
    out.write(name);
    out.writeByte(TaggedRecordSerializer.LONG);
    Varints.writeUnsignedVarLong(out, Varints.zigZag(-5L));
    out.writeByte(TaggedRecordSerializer.INT);
    Varints.writeUnsignedVarInt(out, Varints.zigZag(Integer.MIN_VALUE));
    out.writeByte(TaggedRecordSerializer.LONG);
    Varints.writeUnsignedVarLong(out, Varints.zigZag(1L << 40));
    out.writeByte(TaggedRecordSerializer.NULL);

    Booking booking = new Booking(-5, Integer.MIN_VALUE, 1L << 40, null);
    assertThat(serialize(new TaggedRecordSerializer(loader), booking))
        .isEqualTo(expected.toByteArray());
    assertThat(roundTrip(new Booking(7, -1, Long.MIN_VALUE, 12L)))
        .isEqualTo(new Booking(7, -1, Long.MIN_VALUE, 12L));
  }

  @Test
  void everyBasicTypeRoundTrips() throws IOException {
    List<Object> values =
        Arrays.asList(
            null,
            true,
            false,
            (byte) -7,
            (short) 31_000,
            0,
            -1,
            Integer.MIN_VALUE,
            Integer.MAX_VALUE,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            3.5f,
            Float.NaN,
            -0.25,
            Double.MAX_VALUE,
            'ß',
            "",
            "héllo wörld ✓ 𝄞",
            Side.BUY,
            Side.SELL,
            Tuple2.of("word", 3L),
            Tuple3.of(1, Tuple2.of(null, 'c'), List.of("x")));
    for (Object value : values) {
      Object copy = roundTrip(value);
      assertThat(copy).as("copy of %s", value).isEqualTo(value);
      if (value != null) {
        assertThat(copy).hasSameClassAs(value);
      }
    }
    assertThat((byte[]) roundTrip(new byte[] {1, 2, 3, -128})).containsExactly(1, 2, 3, -128);
    assertThat((byte[]) roundTrip(new byte[0])).isEmpty();
  }

  @Test
  void smallNumbersTakeTwoBytesAndStringsTheirUtf8() throws IOException {
    assertThat(serialize(writer, 5)).hasSize(2);
    assertThat(serialize(writer, -5L)).hasSize(2);
    assertThat(serialize(writer, true)).hasSize(1);
    assertThat(serialize(writer, "äb")).hasSize(1 + 1 + 3);
  }

  @Test
  void nestedRecordsWithCollectionsRoundTrip() throws IOException {
    Trade trade = new Trade("ACME", 100, Side.SELL, 9.5);
    Map<String, Integer> tags = new LinkedHashMap<>();
    tags.put("z", 1);
    tags.put("a", null);
    Order order = new Order(7, trade, List.of(trade, new Trade("X", -1, null, 0)), tags, null);

    Order copy = (Order) roundTrip(order);

    assertThat(copy).usingRecursiveComparison().isEqualTo(order);
    assertThat(copy.tags()).isInstanceOf(LinkedHashMap.class);
    assertThat(copy.tags().keySet()).containsExactly("z", "a");
  }

  @Test
  void collectionsKeepTheirClassWhereAFieldCouldNameIt() throws IOException {
    ArrayList<Object> list = new ArrayList<>(List.of(1, "two"));
    HashMap<Object, Object> map = new HashMap<>(Map.of("k", List.of(1L)));
    LinkedList<String> linked = new LinkedList<>(List.of("a", "b"));
    TreeMap<String, Integer> sorted = new TreeMap<>(Map.of("b", 2, "a", 1));

    assertThat(roundTrip(list)).isEqualTo(list).isInstanceOf(ArrayList.class);
    assertThat(roundTrip(map)).isEqualTo(map).isInstanceOf(HashMap.class);
    assertThat(roundTrip(linked)).isEqualTo(linked).isInstanceOf(LinkedList.class);
    assertThat(roundTrip(sorted)).isEqualTo(sorted).isInstanceOf(TreeMap.class);
    assertThat(roundTrip(List.of(1, 2))).isEqualTo(List.of(1, 2)).isInstanceOf(ArrayList.class);
    assertThat(roundTrip(Map.of("a", 1))).isEqualTo(Map.of("a", 1));
  }

  @Test
  void aPojoThatIsNotSerializableTravelsFieldByField() throws IOException {
    Account account = new Account("ada", 120);
    account.cache = "changed";

    Account copy = (Account) roundTrip(account);

    assertThat(account).isNotInstanceOf(Serializable.class);
    assertThat(copy).isEqualTo(account);
    assertThat(copy.cache).isEqualTo("not sent"); // transient: left as the constructor set it

    SavingsAccount savings = new SavingsAccount();
    savings.owner = "bob";
    savings.rate = 0.03;
    SavingsAccount savingsCopy = (SavingsAccount) roundTrip(savings);
    assertThat(savingsCopy.owner).isEqualTo("bob");
    assertThat(savingsCopy.rate).isEqualTo(0.03);
  }

  @Test
  void whatNothingElseCoversGoesThroughKryo() throws IOException {
    Money money = new Money(1999, "EUR");

    byte[] bytes = serialize(writer, money);

    assertThat(bytes[0]).isEqualTo(TaggedRecordSerializer.KRYO);
    assertThat(deserialize(reader, bytes)).isEqualTo(money);
    assertThat(roundTrip(new int[] {4, 5})).isEqualTo(new int[] {4, 5});
  }

  @Test
  void classNamesAreWrittenOncePerStream() throws IOException {
    Trade trade = new Trade("ACME", 1, Side.BUY, 1);

    byte[] first = serialize(writer, trade);
    byte[] second = serialize(writer, trade);

    assertThat(new String(first, java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains(Trade.class.getName());
    assertThat(second.length).isLessThan(first.length - Trade.class.getName().length());
    assertThat(writer.classesWritten()).isEqualTo(2); // Trade and Side
    assertThat(deserialize(reader, first)).isEqualTo(trade);
    assertThat(deserialize(reader, second)).isEqualTo(trade);

    TaggedRecordSerializer latecomer = new TaggedRecordSerializer(loader);
    assertThatThrownBy(
            () -> latecomer.deserialize(new DataInputStream(new ByteArrayInputStream(second))))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("unknown class id 0");
  }

  @Test
  void aRecordThatFailsToSerializeLeavesNoClassIdBehind() throws IOException {
    assertThatThrownBy(() -> serialize(writer, new Exploding("x")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(Exploding.class.getName())
        .hasRootCauseMessage("boom");
    assertThat(writer.classesWritten()).isZero();

    // the failed record never reached the reader; the next one must still decode
    Trade trade = new Trade("ok", 2, Side.SELL, 3);
    assertThat(roundTrip(trade)).isEqualTo(trade);
  }

  @Test
  void classesAreResolvedWithTheJobsClassLoader(@TempDir Path dir) throws Exception {
    try (URLClassLoader jobLoader =
        CompiledJobClass.compile(
            dir,
            "Reading",
            "package job; public record Reading(String sensor, long value) {}",
            loader)) {
      Class<?> readingClass = jobLoader.loadClass("job.Reading");
      Object reading = readingClass.getConstructor(String.class, long.class).newInstance("t1", 42L);

      byte[] bytes = serialize(new TaggedRecordSerializer(jobLoader), reading);
      Object copy = deserialize(new TaggedRecordSerializer(jobLoader), bytes);

      assertThat(copy).isEqualTo(reading);
      assertThat(copy.getClass()).isSameAs(readingClass);
      assertThatThrownBy(() -> deserialize(new TaggedRecordSerializer(loader), bytes))
          .isInstanceOf(IOException.class)
          .hasMessage("record class 'job.Reading' is not found by the job's class loader");
    }
  }

  @Test
  void aSmallRecordIsMuchSmallerThanWithJavaSerialization() throws IOException {
    int records = 1000;
    long tagged = 0;
    long java = 0;
    for (int i = 0; i < records; i++) {
      Counters counters = new Counters(1_000_000L + i, i, 42L * i);
      byte[] bytes = serialize(writer, counters);
      assertThat(deserialize(reader, bytes)).isEqualTo(counters);
      tagged += bytes.length;
      ByteArrayOutputStream javaBytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(javaBytes)) {
        out.writeObject(counters);
      }
      java += javaBytes.size();
    }

    // about 13 bytes a record against about 118
    assertThat(tagged).isLessThan(java / 8);
  }
}
