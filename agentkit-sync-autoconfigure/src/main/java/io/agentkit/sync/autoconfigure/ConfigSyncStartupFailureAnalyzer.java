package io.agentkit.sync.autoconfigure;

import io.agentkit.sync.ConfigSyncStartupException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a fail-fast startup failure: no AgentKit configuration could be put in force.
 */
class ConfigSyncStartupFailureAnalyzer extends AbstractFailureAnalyzer<ConfigSyncStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ConfigSyncStartupException cause) {
		return new FailureAnalysis("The application could not start because " + cause.getMessage() + ".",
				"Make the AgentKit server named by agentkit.sync.server-url reachable (check the URL and the token), "
						+ "or provide a cache file at agentkit.sync.cache-db-path, or set agentkit.sync.fail-fast=false "
						+ "to start without a configuration and keep retrying. If the server answers, but more slowly "
						+ "than the start waits, raise agentkit.sync.startup-timeout.",
				cause);
	}

}
