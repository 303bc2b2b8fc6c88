package io.baton.cli.yarn;

import java.net.URI;

/**
 * A deployed YARN session.
 *
 * @param applicationId YARN's id of the application, e.g. {@code application_1700000000000_0001}
 * @param restUrl the JobManager's REST API in the ApplicationMaster's container
 * @param stagingDir the directory on the cluster's default file system holding lib/ and conf/
 */
public record YarnSession(String applicationId, URI restUrl, String stagingDir) {}
