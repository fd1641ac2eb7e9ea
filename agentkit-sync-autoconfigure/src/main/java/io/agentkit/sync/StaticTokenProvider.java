package io.agentkit.sync;

import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenProvider} that always gives the same token (the {@code token} property),
 * or none.
 */
public final class StaticTokenProvider implements TokenProvider {

	private final @Nullable String token;

	/**
	 * Create a provider for the given token.
	 * @param token the token, or {@code null} (or blank) for none
	 */
	public StaticTokenProvider(@Nullable String token) {
		this.token = (token != null && !token.isBlank()) ? token : null;
	}

	@Override
	public @Nullable String getToken() {
		return this.token;
	}

	/**
	 * Whether this provider has a token.
	 * @return {@code true} when a token is sent
	 */
	public boolean hasToken() {
		return this.token != null;
	}

	@Override
	public String toString() {
		return "StaticTokenProvider[" + ((this.token != null) ? "token set" : "no token") + "]";
	}

}
