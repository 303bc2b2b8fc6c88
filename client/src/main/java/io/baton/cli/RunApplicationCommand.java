package io.baton.cli;

import io.baton.cli.yarn.Distribution;
import io.baton.cli.yarn.YarnDeploymentException;
import io.baton.cli.yarn.YarnSessionDeployer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code baton run-application -t yarn-application JAR [ARGS...]}: deploys an application to the
 * YARN cluster of {@code $HADOOP_CONF_DIR} whose ApplicationMaster runs the jar's job and ends with
 * it; prints the application id once YARN accepted it.
 */
@Command(
    name = "run-application",
    mixinStandardHelpOptions = true,
    description = "Runs a job jar as its own YARN application, which ends when the job ends.")
final class RunApplicationCommand implements Callable<Integer> {
  static final String YARN_APPLICATION = "yarn-application";

  private final CliContext context;

  @Option(
      names = {"-t", "--target"},
      required = true,
      description = "yarn-application: a YARN application of its own for this job.")
  String target;

  @Mixin Distribution distribution;

  @Parameters(index = "0", paramLabel = "JAR", description = "The job jar.")
  Path jar;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments of the job's main().")
  List<String> args = new ArrayList<>();

  RunApplicationCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (!YARN_APPLICATION.equals(target)) {
      throw new CliException("-t expects " + YARN_APPLICATION + ", got '" + target + "'");
    }
    if (!Files.isRegularFile(jar)) {
      throw new CliException("jar file " + jar + " does not exist");
    }
    try (YarnSessionDeployer deployer =
        new YarnSessionDeployer(new YarnConfiguration(), Duration.ofMinutes(3))) {
      String appId =
          deployer.deployApplication(
              distribution.lib(context.env()),
              distribution.conf(context.env()),
              distribution.overrides(),
              jar,
              args);
      context.out().println("Application id: " + appId);
      context.out().println("Follow it with: yarn application -status " + appId);
      return 0;
    } catch (YarnDeploymentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
