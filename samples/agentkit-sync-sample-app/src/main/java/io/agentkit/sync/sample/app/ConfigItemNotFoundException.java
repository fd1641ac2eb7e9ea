package io.agentkit.sync.sample.app;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Thrown when a request names a skill or workflow that the configuration in force does
 * not have. Answered with {@code 404} and a problem body
 * ({@code application/problem+json}) naming the missing item.
 *
 * @author AgentKit
 */
public class ConfigItemNotFoundException extends ErrorResponseException {

	private ConfigItemNotFoundException(String title, String detail, String keyName, String key) {
		super(HttpStatus.NOT_FOUND, problem(title, detail, keyName, key), null);
	}

	/**
	 * Create an exception for a missing skill.
	 * @param name the skill name
	 * @return the exception
	 */
	public static ConfigItemNotFoundException skill(String name) {
		return new ConfigItemNotFoundException("Skill not found", "No skill named '" + name + "' is configured",
				"name", name);
	}

	/**
	 * Create an exception for a missing workflow.
	 * @param workflowId the workflow id
	 * @return the exception
	 */
	public static ConfigItemNotFoundException workflow(String workflowId) {
		return new ConfigItemNotFoundException("Workflow not found",
				"No workflow with id '" + workflowId + "' is configured", "workflowId", workflowId);
	}

	private static ProblemDetail problem(String title, String detail, String keyName, String key) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
		problem.setTitle(title);
		problem.setProperty(keyName, key);
		return problem;
	}

}
