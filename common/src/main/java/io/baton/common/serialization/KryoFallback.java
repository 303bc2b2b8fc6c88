package io.baton.common.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Kryo for the values nothing else covers. The caller names the class on the stream; this writes
 * the object's bytes, length-prefixed, and reads them back as that class. Unregistered classes are
 * allowed and references are off (records are trees, not graphs).
 */
final class KryoFallback {
  private final ClassLoader classLoader;
  // made on first use: most streams (and every keyed snapshot of plain values) never need Kryo
  private Kryo kryo;
  private Output output;

  KryoFallback(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  private Kryo kryo() {
    if (kryo == null) {
      Kryo made = new Kryo();
      made.setRegistrationRequired(false);
      made.setReferences(false);
      made.setClassLoader(classLoader);
      // classes without a no-arg constructor are created without running one
      made.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
      kryo = made;
      output = new Output(4096, -1);
    }
    return kryo;
  }

  void write(Object value, DataOutput out) throws IOException {
    Kryo kryo = kryo();
    output.reset();
    try {
      kryo.writeObject(output, value);
    } catch (KryoException | IllegalArgumentException e) {
      throw new IOException(
          "cannot serialize a " + value.getClass().getName() + " with Kryo: " + e.getMessage(), e);
    }
    Varints.writeUnsignedVarInt(out, output.position());
    out.write(output.getBuffer(), 0, output.position());
  }

  Object read(Class<?> type, DataInput in) throws IOException {
    byte[] bytes = new byte[Varints.readUnsignedVarInt(in)];
    in.readFully(bytes);
    try {
      return kryo().readObject(new Input(bytes), type);
    } catch (KryoException | IllegalArgumentException e) {
      throw new IOException(
          "cannot deserialize a " + type.getName() + " with Kryo: " + e.getMessage(), e);
    }
  }
}
