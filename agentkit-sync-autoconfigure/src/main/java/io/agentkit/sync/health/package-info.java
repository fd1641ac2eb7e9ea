/**
 * Actuator health indicator for the AgentKit configuration sync.
 */
@NullMarked
package io.agentkit.sync.health;

import org.jspecify.annotations.NullMarked;
