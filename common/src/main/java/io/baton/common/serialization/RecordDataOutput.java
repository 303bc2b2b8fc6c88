package io.baton.common.serialization;

import java.io.DataOutput;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * A {@link DataOutput} writing straight into a growable byte array that is reused from record to
 * record. It is what a {@link RecordSerializer} writes into on the record path: unlike a {@code
 * DataOutputStream} over a {@code ByteArrayOutputStream} it takes no lock and makes no virtual call
 * per byte, and {@link #reset} keeps the array, so a record costs no allocation here once the array
 * has grown to the largest record. Not thread-safe: one per writer.
 */
public final class RecordDataOutput implements DataOutput {
  private byte[] data;
  private int position;

  /**
   * @param initialCapacity bytes before the first growth
   */
  public RecordDataOutput(int initialCapacity) {
    this.data = new byte[Math.max(16, initialCapacity)];
  }

  /** Forgets what was written; the array stays. */
  public void reset() {
    position = 0;
  }

  /** The array holding the bytes written since {@link #reset} in {@code [0, size())}. */
  public byte[] array() {
    return data;
  }

  /** Bytes written since {@link #reset}. */
  public int size() {
    return position;
  }

  private void ensure(int more) {
    int needed = position + more;
    if (needed > data.length) {
      if (needed < 0) {
        throw new IllegalStateException("a record of more than 2 GiB cannot be written");
      }
      data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
    }
  }

  @Override
  public void write(int b) {
    writeByte(b);
  }

  @Override
  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, data, position, len);
    position += len;
  }

  @Override
  public void writeBoolean(boolean v) {
    writeByte(v ? 1 : 0);
  }

  @Override
  public void writeByte(int v) {
    if (position == data.length) {
      ensure(1);
    }
    data[position++] = (byte) v;
  }

  @Override
  public void writeShort(int v) {
    ensure(2);
    data[position++] = (byte) (v >>> 8);
    data[position++] = (byte) v;
  }

  @Override
  public void writeChar(int v) {
    writeShort(v);
  }

  @Override
  public void writeInt(int v) {
    ensure(4);
    data[position++] = (byte) (v >>> 24);
    data[position++] = (byte) (v >>> 16);
    data[position++] = (byte) (v >>> 8);
    data[position++] = (byte) v;
  }

  @Override
  public void writeLong(long v) {
    writeInt((int) (v >>> 32));
    writeInt((int) v);
  }

  @Override
  public void writeFloat(float v) {
    writeInt(Float.floatToIntBits(v));
  }

  @Override
  public void writeDouble(double v) {
    writeLong(Double.doubleToLongBits(v));
  }

  /** Varint of up to 5 bytes, as {@link Varints#writeUnsignedVarInt} writes it, without calls. */
  public void writeUnsignedVarInt(int value) {
    ensure(5);
    while ((value & ~0x7F) != 0) {
      data[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    data[position++] = (byte) value;
  }

  /** Varint of up to 10 bytes, as {@link Varints#writeUnsignedVarLong} writes it. */
  public void writeUnsignedVarLong(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      data[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    data[position++] = (byte) value;
  }

  @Override
  public void writeBytes(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      data[position++] = (byte) s.charAt(i);
    }
  }

  @Override
  public void writeChars(String s) {
    int n = s.length();
    ensure(2 * n);
    for (int i = 0; i < n; i++) {
      writeShort(s.charAt(i));
    }
  }

  /** Modified UTF-8 with a two-byte length, exactly as {@code DataOutputStream.writeUTF}. */
  @Override
  public void writeUTF(String s) throws UTFDataFormatException {
    int n = s.length();
    int encoded = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      encoded += c >= 0x0001 && c <= 0x007F ? 1 : c > 0x07FF ? 3 : 2;
    }
    if (encoded > 0xFFFF) {
      throw new UTFDataFormatException("encoded string too long: " + encoded + " bytes");
    }
    writeShort(encoded);
    ensure(encoded);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x0001 && c <= 0x007F) {
        data[position++] = (byte) c;
      } else if (c > 0x07FF) {
        data[position++] = (byte) (0xE0 | ((c >> 12) & 0x0F));
        data[position++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        data[position++] = (byte) (0x80 | (c & 0x3F));
      } else {
        data[position++] = (byte) (0xC0 | ((c >> 6) & 0x1F));
        data[position++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }
}
