/**
 * Auto-configuration for the AgentKit configuration sync.
 */
@NullMarked
package io.agentkit.sync.autoconfigure;

import org.jspecify.annotations.NullMarked;
