package org.example.gadget;

import java.util.HashMap;

/**
 * Stands for a gadget of some library on the class path: a {@link HashMap} subclass whose
 * deserialization would run code of its own. Outside Baton's packages and not of a job's jar.
 */
public class GadgetMap extends HashMap<String, String> {
  private static final long serialVersionUID = 1L;

  /** Set when an instance was deserialized: the filter must keep it false. */
  public static volatile boolean instantiated;

  private void readObject(java.io.ObjectInputStream in)
      throws java.io.IOException, ClassNotFoundException {
    instantiated = true;
    in.defaultReadObject();
  }
}
