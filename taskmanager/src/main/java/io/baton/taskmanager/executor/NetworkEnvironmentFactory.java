package io.baton.taskmanager.executor;

import io.baton.common.config.Configuration;
import io.baton.taskmanager.network.NetworkEnvironment;

/** Creates a TaskManager's data plane once its id is known. */
@FunctionalInterface
public interface NetworkEnvironmentFactory {

  NetworkEnvironment create(Configuration configuration, String localTaskManagerId);
}
