package io.baton.taskmanager.network;

/**
 * The varint (protobuf base-128, unsigned) length written before every record in a RECORDS buffer,
 * so any protobuf {@code CodedInputStream.readRawVarint32} reads it back.
 */
final class LengthPrefix {
  private LengthPrefix() {}

  /** Bytes the prefix of a record of {@code length} bytes takes (1 to 5). */
  static int sizeOf(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative record length " + length);
    }
    int size = 1;
    while ((length & ~0x7F) != 0) {
      length >>>= 7;
      size++;
    }
    return size;
  }

  /** Writes the prefix at {@code position} and returns the position after it. */
  static int write(int length, byte[] target, int position) {
    while ((length & ~0x7F) != 0) {
      target[position++] = (byte) ((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    target[position++] = (byte) length;
    return position;
  }
}
