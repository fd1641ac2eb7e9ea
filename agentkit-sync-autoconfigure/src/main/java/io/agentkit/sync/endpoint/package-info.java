/**
 * Actuator endpoint for the AgentKit configuration sync.
 */
@NullMarked
package io.agentkit.sync.endpoint;

import org.jspecify.annotations.NullMarked;
