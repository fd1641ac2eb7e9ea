package io.agentkit.sync.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidAgentKitSyncPropertyException} into a startup report that names
 * the property, its value and the fix.
 */
class InvalidAgentKitSyncPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAgentKitSyncPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidAgentKitSyncPropertyException cause) {
		String value = (cause.getValue() != null) ? "'" + cause.getValue() + "'" : "(not set)";
		String description = "The AgentKit sync property '" + cause.getProperty() + "' is invalid: " + cause.getProblem()
				+ ".\n\n    Property: " + cause.getProperty() + "\n    Value: " + value;
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
