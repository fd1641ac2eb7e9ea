/**
 * Benchmarks of the AgentKit sync engine: JMH read-path benchmarks, end-to-end
 * measurements against a loopback server, the floor they are compared with, and the
 * report that puts them beside the Python client of record.
 */
package io.agentkit.sync.benchmarks;
