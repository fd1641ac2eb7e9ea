package io.agentkit.sync.client;

import io.agentkit.sync.ConfigDocument;

/**
 * Talks to an AgentKit server. Implementations block the calling thread until the answer
 * is complete or the request failed, bound every request in time, and are thread-safe.
 */
public interface ConfigServerClient {

	/**
	 * Ask the server for its configuration version ({@code GET /api/v1/config/version}).
	 * @return the version
	 * @throws ConfigServerException when the request fails or the answer is invalid
	 */
	String fetchVersion();

	/**
	 * Pull the whole configuration ({@code GET /api/v1/config/all}), validated.
	 * @return the document
	 * @throws ConfigServerException when the request fails or the answer is invalid
	 */
	ConfigDocument fetchAll();

}
