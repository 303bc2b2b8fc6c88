package io.baton.it;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.ProtocolMessageEnum;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * How Baton's packages layer, checked on the compiled main classes: no package depends, directly or
 * through others, on a package that depends back on it; the wire protocol's generated types stay at
 * the RPC edges, so a protocol change does not ripple into the scheduler, the checkpoint
 * coordinator, the REST API or a task's insides.
 */
@AnalyzeClasses(packages = "io.baton", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayeringTest {

  /**
   * Where protobuf and gRPC types may be used: the translation to Baton's own types happens here.
   */
  static final String[] RPC_EDGES = {
    "io.baton.common.rpc..",
    "io.baton.coordinator.rpc..",
    "io.baton.taskmanager.rpc..",
    // the data plane's transport: its buffers are protobuf messages until the record path is
    // rewritten for speed
    "io.baton.taskmanager.network.."
  };

  private static final DescribedPredicate<JavaClass> GENERATED_PROTOCOL_TYPES =
      describe(
          "are generated protocol types (protobuf messages, enums, gRPC services)",
          c ->
              c.isAssignableTo(MessageOrBuilder.class)
                  || c.isAssignableTo(ProtocolMessageEnum.class)
                  || (c.getPackageName().equals("io.baton.common.rpc")
                      && c.getSimpleName().endsWith("Grpc")));

  @ArchTest
  static final ArchRule noPackageCycles =
      slices()
          .matching("io.baton.(**)")
          .should()
          .beFreeOfCycles()
          .because("a package that its own dependencies depend on cannot be understood alone");

  @ArchTest
  static final ArchRule protocolTypesOnlyAtTheRpcEdges =
      noClasses()
          .that(
              resideInAPackage("io.baton..")
                  .and(DescribedPredicate.not(resideInAnyPackage(RPC_EDGES))))
          .should()
          .dependOnClassesThat(GENERATED_PROTOCOL_TYPES)
          .because(
              "the rest of Baton speaks its own types; protobuf is translated at the RPC edges");
}
