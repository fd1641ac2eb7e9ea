/**
 * The AgentKit configuration sync engine and its public values: {@link io.agentkit.sync.ConfigSync},
 * snapshots, status, results and events.
 */
@NullMarked
package io.agentkit.sync;

import org.jspecify.annotations.NullMarked;
