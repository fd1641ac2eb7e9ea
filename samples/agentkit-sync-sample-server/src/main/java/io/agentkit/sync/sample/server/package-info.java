/**
 * A small AgentKit-compatible configuration server that serves skills and workflows from a folder.
 */
package io.agentkit.sync.sample.server;
