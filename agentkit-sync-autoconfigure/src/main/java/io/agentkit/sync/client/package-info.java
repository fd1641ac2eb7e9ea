/**
 * Talking to the AgentKit server over WebClient.
 */
@NullMarked
package io.agentkit.sync.client;

import org.jspecify.annotations.NullMarked;
