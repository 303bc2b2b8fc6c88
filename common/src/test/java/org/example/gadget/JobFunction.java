package org.example.gadget;

import java.io.Serializable;
import java.util.List;

/** Stands for a class of a job's jar: admitted when the job's own class loader defined it. */
public class JobFunction implements Serializable {
  private static final long serialVersionUID = 1L;

  public final List<String> words = List.of("to", "be");
}
