package io.baton.common.serialization;

import io.baton.common.classloading.UserCodeClassLoader;
import java.io.ObjectInputFilter;
import java.util.Set;

/**
 * The JEP 290 filter every Java-serialized file Baton reads goes through (stored jobs, deployed
 * task vertices): it admits Baton's own classes, the JDK value and collection types a job graph
 * holds, and the classes of the job's own jar (those its {@link UserCodeClassLoader} defined), and
 * nothing else, so that a planted file cannot make Baton instantiate a gadget class of some library
 * on its class path. Depth, references, array lengths and bytes are bounded too.
 *
 * <p>One instance per stream: it remembers why it refused, for the stream's one-line message.
 */
public final class AdmittedClasses implements ObjectInputFilter {
  static final long MAX_DEPTH = 200;
  static final long MAX_REFERENCES = 1_000_000;
  static final long MAX_ARRAY_LENGTH = 16 * 1024 * 1024;
  static final long MAX_BYTES = 512L * 1024 * 1024;

  /** JDK classes a job graph and its functions use, admitted by exact name. */
  private static final Set<String> JDK_CLASSES =
      Set.of(
          "java.lang.Object",
          "java.lang.String",
          "java.lang.Boolean",
          "java.lang.Byte",
          "java.lang.Character",
          "java.lang.Short",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Float",
          "java.lang.Double",
          "java.lang.Number",
          "java.lang.Enum",
          "java.lang.Record",
          "java.lang.invoke.SerializedLambda",
          "java.math.BigInteger",
          "java.math.BigDecimal",
          "java.net.URI",
          "java.util.UUID",
          "java.util.Random",
          "java.util.Date",
          "java.util.Locale",
          "java.util.ArrayList",
          "java.util.LinkedList",
          "java.util.ArrayDeque",
          "java.util.HashMap",
          "java.util.Map$Entry",
          "java.util.LinkedHashMap",
          "java.util.TreeMap",
          "java.util.EnumMap",
          "java.util.HashSet",
          "java.util.LinkedHashSet",
          "java.util.TreeSet",
          "java.util.EnumSet",
          "java.util.RegularEnumSet",
          "java.util.JumboEnumSet",
          "java.util.BitSet",
          "java.util.Arrays$ArrayList",
          "java.util.CollSer",
          "java.util.concurrent.ConcurrentHashMap",
          "java.util.concurrent.ConcurrentHashMap$Segment",
          "java.util.concurrent.CopyOnWriteArrayList",
          "java.util.concurrent.TimeUnit",
          "java.util.concurrent.atomic.AtomicBoolean",
          "java.util.concurrent.atomic.AtomicInteger",
          "java.util.concurrent.atomic.AtomicLong",
          "java.util.regex.Pattern");

  /** JDK packages of plain value types, and the JDK's own immutable and wrapped collections. */
  private static final String[] JDK_PREFIXES = {
    "java.time.", "java.util.Collections$", "java.util.ImmutableCollections$"
  };

  private static final String[] BATON_PREFIXES = {"io.baton."};

  private final ClassLoader userCode;
  private volatile String refusal;

  /**
   * @param userCode the job's class loader: classes it defined are admitted; when it is not a
   *     {@link UserCodeClassLoader} (a job on the class path) only the lists above count
   */
  public AdmittedClasses(ClassLoader userCode) {
    this.userCode = userCode;
  }

  @Override
  public Status checkInput(FilterInfo info) {
    if (info.depth() > MAX_DEPTH) {
      return refuse("objects nested deeper than " + MAX_DEPTH);
    }
    if (info.references() > MAX_REFERENCES) {
      return refuse("more than " + MAX_REFERENCES + " objects");
    }
    if (info.arrayLength() > MAX_ARRAY_LENGTH) {
      return refuse("an array of " + info.arrayLength() + " elements");
    }
    if (info.streamBytes() > MAX_BYTES) {
      return refuse("more than " + MAX_BYTES + " bytes");
    }
    Class<?> type = info.serialClass();
    if (type == null) {
      return Status.UNDECIDED;
    }
    Class<?> element = type;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    return admits(element) ? Status.ALLOWED : refuse("class " + type.getName());
  }

  /** Why the stream was refused, e.g. {@code class com.example.Gadget}; null while it is not. */
  public String refusal() {
    return refusal;
  }

  private boolean admits(Class<?> type) {
    if (type.isPrimitive()) {
      return true;
    }
    String name = type.getName();
    if (JDK_CLASSES.contains(name) || startsWithAny(name, JDK_PREFIXES)) {
      return type.getClassLoader() == null;
    }
    if (startsWithAny(name, BATON_PREFIXES)) {
      return true;
    }
    ClassLoader loader = type.getClassLoader();
    return loader instanceof UserCodeClassLoader && loader == userCode;
  }

  private Status refuse(String why) {
    if (refusal == null) {
      refusal = why;
    }
    return Status.REJECTED;
  }

  private static boolean startsWithAny(String name, String[] prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
