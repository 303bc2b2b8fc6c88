package io.baton.common.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The record path's array-backed DataOutput and DataInput against the JDK's streams. */
class RecordDataStreamsTest {

  private static void writeEverything(DataOutput out) throws IOException {
    out.writeBoolean(true);
    out.writeByte(-7);
    out.writeShort(-30000);
    out.writeChar('é');
    out.writeInt(Integer.MIN_VALUE + 3);
    out.writeLong(Long.MAX_VALUE - 9);
    out.writeFloat(3.25f);
    out.writeDouble(-1e300);
    out.write(new byte[] {1, 2, 3, 4}, 1, 2);
    out.writeUTF("grüße \u0000 \u20ac ok");
    out.writeBytes("ab");
    out.writeChars("xy");
  }

  @Test
  void writesTheSameBytesAsADataOutputStream() throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    writeEverything(new DataOutputStream(expected));
    RecordDataOutput out = new RecordDataOutput(1); // grows many times on the way
    writeEverything(out);
    assertThat(Arrays.copyOf(out.array(), out.size())).isEqualTo(expected.toByteArray());
  }

  @Test
  void readsBackWhatWasWrittenAndResetsForTheNextRecord() throws IOException {
    RecordDataOutput out = new RecordDataOutput(8);
    out.writeLong(1);
    out.reset();
    writeEverything(out);
    out.writeUnsignedVarInt(300);
    out.writeUnsignedVarLong(Long.MAX_VALUE);
    byte[] framed = new byte[out.size() + 3];
    System.arraycopy(out.array(), 0, framed, 3, out.size());

    RecordDataInput in = new RecordDataInput();
    in.reset(framed, 3, out.size());
    assertThat(in.readBoolean()).isTrue();
    assertThat(in.readByte()).isEqualTo((byte) -7);
    assertThat(in.readShort()).isEqualTo((short) -30000);
    assertThat(in.readChar()).isEqualTo('é');
    assertThat(in.readInt()).isEqualTo(Integer.MIN_VALUE + 3);
    assertThat(in.readLong()).isEqualTo(Long.MAX_VALUE - 9);
    assertThat(in.readFloat()).isEqualTo(3.25f);
    assertThat(in.readDouble()).isEqualTo(-1e300);
    byte[] two = new byte[2];
    in.readFully(two);
    assertThat(two).containsExactly(2, 3);
    assertThat(in.readUTF()).isEqualTo("grüße \u0000 \u20ac ok");
    assertThat(in.readUnsignedByte()).isEqualTo('a');
    assertThat(in.skipBytes(1)).isEqualTo(1);
    assertThat(in.readChar()).isEqualTo('x');
    assertThat(in.readChar()).isEqualTo('y');
    assertThat(Varints.readUnsignedVarInt(in)).isEqualTo(300);
    assertThat(Varints.readUnsignedVarLong(in)).isEqualTo(Long.MAX_VALUE);
    assertThat(in.remaining()).isZero();
  }

  @Test
  void aShortRecordIsAnEndOfFileNotAReadIntoTheNextOne() throws IOException {
    byte[] twoRecords = {0, 0, 0, 1, 9, 9, 9, 9};
    RecordDataInput in = new RecordDataInput();
    in.reset(twoRecords, 0, 3);
    assertThatThrownBy(in::readInt)
        .isInstanceOf(EOFException.class)
        .hasMessage("the record ends after 3 more bytes, 4 needed");
    in.reset(twoRecords, 0, 0);
    assertThatThrownBy(in::readByte).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> in.reset(twoRecords, 6, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
