package io.agentkit.sync.client;

import java.util.function.Consumer;

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

	/**
	 * Pull the whole configuration, validated, and hand the body to {@code bodyReceived}
	 * as soon as it has arrived, before it is validated: the engine starts writing it to
	 * the cache meanwhile, and commits that write only once this method has returned the
	 * valid document. The default calls {@link #fetchAll()} and never calls
	 * {@code bodyReceived}.
	 * @param bodyReceived given the body (UTF-8 JSON) on the calling thread; does not
	 * throw and must not change the bytes
	 * @return the document
	 * @throws ConfigServerException when the request fails or the answer is invalid
	 */
	default ConfigDocument fetchAll(Consumer<byte[]> bodyReceived) {
		return fetchAll();
	}

}
