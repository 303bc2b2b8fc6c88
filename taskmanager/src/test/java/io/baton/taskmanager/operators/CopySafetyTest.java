package io.baton.taskmanager.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.api.tuple.Tuple2;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which records may be handed to a consumer in the same TaskManager without a copy. */
class CopySafetyTest {
  private final CopySafety safety = new CopySafety();

  enum Side {
    BUY,
    SELL {
      @Override
      public String toString() {
        return "sell";
      }
    }
  }

  record Trade(long id, int key, double price, char flag, boolean open, String account) {}

  record Order(Trade trade, Side side, Long limit) {}

  record Chain(int value, Chain next) {}

  record Tagged(Object tag) {}

  record Listed(List<String> items) {}

  record WithArray(long[] values) {}

  record WithPojo(Holder holder) {}

  record WithTime(Instant at) {}

  record Generic<T>(T value) {}

  /** A POJO: its fields may be set after the record was emitted. */
  static final class Holder {
    long value;
  }

  @Test
  void boxedPrimitivesStringsEnumsAndNullAreCopySafe() {
    for (Object value :
        new Object[] {
          1,
          2L,
          (short) 3,
          (byte) 4,
          'c',
          true,
          1.5f,
          2.5d,
          "text",
          Side.BUY,
          Side.SELL,
          null,
          TimeUnit.SECONDS
        }) {
      assertThat(safety.isCopySafe(value)).as("%s", value).isTrue();
    }
  }

  @Test
  void recordsOfCopySafeComponentsAreCopySafeRecursively() {
    Trade trade = new Trade(1, 2, 3.0, 'x', true, "acct");
    assertThat(safety.isCopySafe(trade)).isTrue();
    assertThat(safety.isCopySafe(new Order(trade, Side.SELL, 10L))).isTrue();
    assertThat(safety.isCopySafe(new Chain(1, new Chain(2, null)))).isTrue();
  }

  @Test
  void recordsWithAComponentThatMayChangeOrHoldAnythingAreNot() {
    assertThat(safety.isCopySafe(new Tagged("a string now, anything later"))).isFalse();
    assertThat(safety.isCopySafe(new Listed(List.of("a")))).isFalse();
    assertThat(safety.isCopySafe(new WithArray(new long[] {1}))).isFalse();
    assertThat(safety.isCopySafe(new WithPojo(new Holder()))).isFalse();
    assertThat(safety.isCopySafe(new WithTime(Instant.EPOCH))).as("not known").isFalse();
    assertThat(safety.isCopySafe(new Generic<>("erased to Object"))).isFalse();
    assertThat(safety.isCopySafe(Tuple2.of("k", 1L))).as("components declared Object").isFalse();
  }

  @Test
  void pojosArraysAndCollectionsAreNot() {
    assertThat(safety.isCopySafe(new Holder())).isFalse();
    assertThat(safety.isCopySafe(new int[] {1})).isFalse();
    assertThat(safety.isCopySafe(new String[] {"a"})).isFalse();
    assertThat(safety.isCopySafe(List.of("a"))).isFalse();
    assertThat(safety.isCopySafe(new StringBuilder("mutable"))).isFalse();
  }

  @Test
  void theFootprintCountsHeadersFieldsReferencesAndTheCharactersOfStrings() {
    assertThat(safety.footprint(7)).isEqualTo(16);
    assertThat(safety.footprint(7L)).isEqualTo(24);
    assertThat(safety.footprint("abc")).isEqualTo(43);
    assertThat(safety.footprint(Side.BUY)).as("a shared constant").isZero();
    // header 16, long 8, int 4, double 8, char 2, boolean 1, reference 8 + the String
    assertThat(safety.footprint(new Trade(1, 2, 3.0, 'x', true, "acct"))).isEqualTo(47 + 44);
    assertThat(safety.footprint(new Trade(1, 2, 3.0, 'x', true, "a".repeat(1000))))
        .isEqualTo(47 + 1040);
    // header 16, three references, the trade, nothing for the enum, a Long
    assertThat(safety.footprint(new Order(new Trade(1, 2, 3.0, 'x', true, "acct"), Side.BUY, 1L)))
        .isEqualTo(16 + 3 * 8 + 91 + 24);
    // each link: header 16, int 4, reference 8
    assertThat(safety.footprint(new Chain(1, new Chain(2, new Chain(3, null))))).isEqualTo(84);
    assertThat(safety.footprint(new Holder())).isEqualTo(CopySafety.NOT_COPY_SAFE);
  }

  @Test
  void theAnswerForAClassStaysTheSameWhateverTheOrderOfRecords() {
    Holder holder = new Holder();
    Trade trade = new Trade(1, 2, 3.0, 'x', true, "acct");
    for (int i = 0; i < 3; i++) {
      assertThat(safety.isCopySafe(trade)).isTrue();
      assertThat(safety.isCopySafe(trade)).isTrue();
      assertThat(safety.isCopySafe(holder)).isFalse();
      assertThat(safety.isCopySafe("s")).isTrue();
      assertThat(safety.isCopySafe(holder)).isFalse();
    }
  }
}
