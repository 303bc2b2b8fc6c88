package io.baton.common.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class VarintsTest {

  private static byte[] writeInt(int value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Varints.writeUnsignedVarInt(new DataOutputStream(bytes), value);
    return bytes.toByteArray();
  }

  private static byte[] writeLong(long value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Varints.writeUnsignedVarLong(new DataOutputStream(bytes), value);
    return bytes.toByteArray();
  }

  private static DataInputStream in(byte[] bytes) {
    return new DataInputStream(new ByteArrayInputStream(bytes));
  }

  @Test
  void intsRoundTripInAsFewBytesAsTheirBitsNeed() throws IOException {
    int[] values = {0, 1, 127, 128, 16_383, 16_384, 1 << 28, Integer.MAX_VALUE, -1};
    int[] sizes = {1, 1, 1, 2, 2, 3, 5, 5, 5};
    for (int i = 0; i < values.length; i++) {
      byte[] bytes = writeInt(values[i]);
      assertThat(bytes).hasSize(sizes[i]);
      assertThat(Varints.sizeOfUnsignedVarInt(values[i])).isEqualTo(sizes[i]);
      assertThat(Varints.readUnsignedVarInt(in(bytes))).isEqualTo(values[i]);
    }
  }

  @Test
  void longsRoundTrip() throws IOException {
    for (long value : new long[] {0, 300, 1L << 35, Long.MAX_VALUE, Long.MIN_VALUE, -1}) {
      assertThat(Varints.readUnsignedVarLong(in(writeLong(value)))).isEqualTo(value);
    }
    assertThat(writeLong(-1)).hasSize(10);
  }

  @Test
  void zigZagKeepsSmallNegativesSmall() {
    assertThat(Varints.zigZag(-1)).isEqualTo(1);
    assertThat(Varints.zigZag(1)).isEqualTo(2);
    assertThat(Varints.unZigZag(Varints.zigZag(Integer.MIN_VALUE))).isEqualTo(Integer.MIN_VALUE);
    assertThat(Varints.unZigZag(Varints.zigZag(-5L))).isEqualTo(-5L);
    assertThat(Varints.unZigZag(Varints.zigZag(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void aVarintThatNeverEndsIsRejected() {
    byte[] endless = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};

    assertThatThrownBy(() -> Varints.readUnsignedVarInt(in(endless)))
        .isInstanceOf(IOException.class)
        .hasMessage("malformed varint: more than 5 bytes");
  }
}
