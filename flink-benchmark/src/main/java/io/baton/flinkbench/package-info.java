/**
 * The Apache Flink side of Baton's side-by-side benchmarks: Flink programs with the same logic as
 * Baton's examples, and the entry points that run Flink clusters in JVMs of their own.
 */
package io.baton.flinkbench;
