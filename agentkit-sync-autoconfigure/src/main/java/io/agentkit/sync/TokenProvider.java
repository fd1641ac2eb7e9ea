package io.agentkit.sync;

import org.jspecify.annotations.Nullable;

/**
 * Supplies the bearer token sent to the AgentKit server. Called once for every request,
 * so an implementation can hand out a fresh token whenever the previous one expired.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface TokenProvider {

	/**
	 * Return the token to send, or {@code null} to send no {@code Authorization} header.
	 * @return the bearer token (without the {@code Bearer } prefix) or {@code null}
	 */
	@Nullable String getToken();

}
