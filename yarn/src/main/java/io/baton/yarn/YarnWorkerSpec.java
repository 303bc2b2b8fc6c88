package io.baton.yarn;

import java.util.List;
import java.util.Map;

/**
 * What each TaskManager container of the YARN driver gets.
 *
 * @param memoryMb the container's memory
 * @param vcores the container's virtual cores
 * @param java the {@code java} executable on the NodeManagers' hosts
 * @param classpath the TaskManager's class path on the NodeManagers' hosts
 * @param jvmOptions {@code env.java.opts.taskmanager}
 * @param stagingDir a directory on the cluster's default file system for the workers' configuration
 *     files, e.g. {@code hdfs:///user/baton/.baton/application_..._0001}
 * @param configuration the JobManager's configuration, which every worker starts from
 * @param libDir a directory on the cluster's file system that YARN localizes into each container as
 *     {@code lib} (the distribution's jars), or null when {@code classpath} needs none
 */
public record YarnWorkerSpec(
    int memoryMb,
    int vcores,
    String java,
    String classpath,
    List<String> jvmOptions,
    String stagingDir,
    Map<String, String> configuration,
    String libDir) {}
