package io.baton.it.yarn;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * The smallest ApplicationMaster, for checking the harness: in the container JVM YARN starts, it
 * writes its pid to {@code args[0]}, registers with the ResourceManager and unregisters with
 * SUCCEEDED.
 */
public final class ExitingApplicationMaster {
  private ExitingApplicationMaster() {}

  public static void main(String[] args) throws Exception {
    Files.writeString(Path.of(args[0]), Long.toString(ProcessHandle.current().pid()));
    AMRMClient<AMRMClient.ContainerRequest> rm = AMRMClient.createAMRMClient();
    rm.init(new YarnConfiguration());
    rm.start();
    try {
      rm.registerApplicationMaster("", 0, "");
      rm.unregisterApplicationMaster(FinalApplicationStatus.SUCCEEDED, "done", "");
    } finally {
      rm.stop();
    }
  }
}
