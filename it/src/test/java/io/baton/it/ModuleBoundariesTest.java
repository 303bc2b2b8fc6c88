package io.baton.it;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module boundaries Baton keeps, checked on the compiled main classes of every module: the
 * JobManager (coordinator) knows nothing of the client side (CLI, drill) and the client reaches it
 * only over REST and ZooKeeper; JobManager and TaskManager share only common code and talk over
 * gRPC; the user API stands alone, so a job jar needs nothing else; high availability is one facade
 * ({@code io.baton.ha}) whose ZooKeeper and standalone implementations only ha-services knows, so
 * Curator and ZooKeeper are used nowhere else; the yarn module (the JobManager's YARN worker
 * driver) depends on the coordinator, and nothing else depends on it.
 */
@AnalyzeClasses(packages = "io.baton", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

  @ArchTest
  static final ArchRule coordinatorDoesNotUseTheClient =
      noClasses()
          .that()
          .resideInAPackage("io.baton.coordinator..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.baton.cli..", "io.baton.drill..")
          .because("the JobManager serves clients over REST and must run without them");

  @ArchTest
  static final ArchRule clientDoesNotUseTheCoordinator =
      noClasses()
          .that()
          .resideInAnyPackage("io.baton.cli..", "io.baton.drill..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.baton.coordinator..")
          .because("the client talks to the JobManager over REST and finds it through ZooKeeper");

  @ArchTest
  static final ArchRule onlyYarnUsesYarn =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.baton.coordinator..",
              "io.baton.taskmanager..",
              "io.baton.cli..",
              "io.baton.drill..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.baton.yarn..")
          .because(
              "the yarn module plugs its worker driver into the JobManager's builder; the"
                  + " JobManager, TaskManager and client run without it");

  @ArchTest
  static final ArchRule taskManagerDoesNotUseTheCoordinator =
      noClasses()
          .that()
          .resideInAPackage("io.baton.taskmanager..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.baton.coordinator..")
          .because("TaskManagers reach the JobManager only over gRPC (io.baton.common.rpc)");

  @ArchTest
  static final ArchRule coordinatorDoesNotUseTheTaskManager =
      noClasses()
          .that()
          .resideInAPackage("io.baton.coordinator..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.baton.taskmanager..")
          .because("the JobManager reaches TaskManagers only over gRPC (io.baton.common.rpc)");

  @ArchTest
  static final ArchRule apiStandsAlone =
      noClasses()
          .that()
          .resideInAPackage("io.baton.api..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.baton..")
                  .and(resideOutsideOfPackage("io.baton.api.."))
                  .as("reside in another Baton package"))
          .because("job jars compile against the API alone");

  @ArchTest
  static final ArchRule zooKeeperOnlyInHaServices =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.baton.ha..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.curator..", "org.apache.zookeeper..")
          .because(
              "JobManager, TaskManager and CLI reach ZooKeeper only through"
                  + " io.baton.ha.HighAvailabilityServices");

  @ArchTest
  static final ArchRule haImplementationsOnlyThroughTheFactory =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.baton.ha..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.baton.ha.zookeeper..", "io.baton.ha.standalone..")
          .because("users of high availability choose it with HighAvailabilityServicesFactory");

  @ArchTest
  static final ArchRule haApiKnowsNoImplementation =
      noClasses()
          .that()
          .resideInAPackage("io.baton.ha")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.baton.ha.zookeeper..",
              "io.baton.ha.standalone..",
              "io.baton.ha.embedded..",
              "org.apache.curator..",
              "org.apache.zookeeper..")
          .because(
              "the API package is what users see; only its factory (io.baton.ha.factory) picks an implementation");
}
