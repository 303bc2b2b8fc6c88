package io.baton.common.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Unsigned LEB128 varints: 7 bits per byte, low bits first, the high bit set on every byte but the
 * last. Small numbers (lengths, ids) take one byte. Zig-zag helpers map signed numbers near zero to
 * small unsigned ones.
 */
public final class Varints {
  private Varints() {}

  /** Writes {@code value} as an unsigned varint of 1 to 5 bytes. */
  public static void writeUnsignedVarInt(DataOutput out, int value) throws IOException {
    while ((value & ~0x7F) != 0) {
      out.writeByte((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }

  /** Reads what {@link #writeUnsignedVarInt} wrote. */
  public static int readUnsignedVarInt(DataInput in) throws IOException {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      byte b = in.readByte();
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("malformed varint: more than 5 bytes");
  }

  /** Writes {@code value} as an unsigned varint of 1 to 10 bytes. */
  public static void writeUnsignedVarLong(DataOutput out, long value) throws IOException {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  /** Reads what {@link #writeUnsignedVarLong} wrote. */
  public static long readUnsignedVarLong(DataInput in) throws IOException {
    long value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      byte b = in.readByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("malformed varlong: more than 10 bytes");
  }

  /** Bytes {@link #writeUnsignedVarInt} takes for {@code value}. */
  public static int sizeOfUnsignedVarInt(int value) {
    int bytes = 1;
    while ((value & ~0x7F) != 0) {
      value >>>= 7;
      bytes++;
    }
    return bytes;
  }

  /** Maps 0, -1, 1, -2, ... to 0, 1, 2, 3, ... */
  public static int zigZag(int value) {
    return (value << 1) ^ (value >> 31);
  }

  public static int unZigZag(int value) {
    return (value >>> 1) ^ -(value & 1);
  }

  public static long zigZag(long value) {
    return (value << 1) ^ (value >> 63);
  }

  public static long unZigZag(long value) {
    return (value >>> 1) ^ -(value & 1);
  }
}
