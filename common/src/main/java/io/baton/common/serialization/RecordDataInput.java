package io.baton.common.serialization;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;

/**
 * A {@link DataInput} reading one record's bytes straight out of a byte array, {@code [position,
 * limit)}, and reset from record to record. It is what a {@link RecordSerializer} reads from on the
 * record path: unlike a {@code DataInputStream} over an {@code InputStream} it makes no virtual
 * call per byte and allocates nothing. Reading past the limit throws {@link EOFException}, so a
 * short record is an error, never a read into the next one. Not thread-safe: one per reader.
 */
public final class RecordDataInput implements DataInput {
  private static final byte[] EMPTY = new byte[0];

  private byte[] data = EMPTY;
  private int position;
  private int limit;

  /** Reads {@code data[offset, offset + length)} from now on. */
  public void reset(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    this.data = data;
    this.position = offset;
    this.limit = offset + length;
  }

  /** Bytes not read yet. */
  public int remaining() {
    return limit - position;
  }

  private void require(int n) throws EOFException {
    if (limit - position < n) {
      throw new EOFException(
          "the record ends after " + (limit - position) + " more bytes, " + n + " needed");
    }
  }

  @Override
  public void readFully(byte[] b) throws IOException {
    readFully(b, 0, b.length);
  }

  @Override
  public void readFully(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    require(len);
    System.arraycopy(data, position, b, off, len);
    position += len;
  }

  @Override
  public int skipBytes(int n) {
    int skipped = Math.max(0, Math.min(n, limit - position));
    position += skipped;
    return skipped;
  }

  @Override
  public boolean readBoolean() throws IOException {
    return readByte() != 0;
  }

  @Override
  public byte readByte() throws IOException {
    if (position >= limit) {
      throw new EOFException("the record ends here, one more byte needed");
    }
    return data[position++];
  }

  @Override
  public int readUnsignedByte() throws IOException {
    return readByte() & 0xFF;
  }

  @Override
  public short readShort() throws IOException {
    require(2);
    int v = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
    position += 2;
    return (short) v;
  }

  @Override
  public int readUnsignedShort() throws IOException {
    return readShort() & 0xFFFF;
  }

  @Override
  public char readChar() throws IOException {
    return (char) readShort();
  }

  @Override
  public int readInt() throws IOException {
    require(4);
    int v =
        ((data[position] & 0xFF) << 24)
            | ((data[position + 1] & 0xFF) << 16)
            | ((data[position + 2] & 0xFF) << 8)
            | (data[position + 3] & 0xFF);
    position += 4;
    return v;
  }

  @Override
  public long readLong() throws IOException {
    return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
  }

  @Override
  public float readFloat() throws IOException {
    return Float.intBitsToFloat(readInt());
  }

  @Override
  public double readDouble() throws IOException {
    return Double.longBitsToDouble(readLong());
  }

  /** Reads a line as {@code DataInputStream.readLine} does: bytes as chars up to \n or \r\n. */
  @Override
  public String readLine() {
    if (position >= limit) {
      return null;
    }
    StringBuilder line = new StringBuilder();
    while (position < limit) {
      char c = (char) (data[position++] & 0xFF);
      if (c == '\n') {
        break;
      }
      if (c == '\r') {
        if (position < limit && data[position] == '\n') {
          position++;
        }
        break;
      }
      line.append(c);
    }
    return line.toString();
  }

  @Override
  public String readUTF() throws IOException {
    return DataInputStream.readUTF(this);
  }
}
