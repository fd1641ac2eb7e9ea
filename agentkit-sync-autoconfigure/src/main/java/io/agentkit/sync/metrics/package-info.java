/**
 * Micrometer metrics for the AgentKit configuration sync.
 */
@NullMarked
package io.agentkit.sync.metrics;

import org.jspecify.annotations.NullMarked;
