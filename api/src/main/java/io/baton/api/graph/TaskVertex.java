package io.baton.api.graph;

import java.util.List;

/** What a TaskManager needs to run one vertex: the vertex and the edges it writes to. */
public record TaskVertex(JobVertex vertex, List<JobEdge> outputs) implements java.io.Serializable {}
