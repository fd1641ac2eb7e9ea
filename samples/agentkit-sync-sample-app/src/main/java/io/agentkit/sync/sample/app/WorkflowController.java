package io.agentkit.sync.sample.app;

import java.util.List;
import java.util.Map;

import io.agentkit.sync.ConfigSync;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the workflows of the configuration in force, as the server sent them.
 *
 * @author AgentKit
 */
@RestController
@RequestMapping("/workflows")
public class WorkflowController {

	private final ConfigSync configSync;

	/**
	 * Create a new instance.
	 * @param configSync the engine that holds the configuration in force
	 */
	public WorkflowController(ConfigSync configSync) {
		this.configSync = configSync;
	}

	/**
	 * Return all workflows, in server order.
	 * @return the workflows, empty when no configuration is in force
	 */
	@GetMapping
	public List<Map<String, @Nullable Object>> workflows() {
		return this.configSync.getWorkflows();
	}

	/**
	 * Return one workflow; an id that contains {@code /} is given as it is
	 * ({@code /workflows/ops/digest}).
	 * @param path the rest of the path: {@code /} and the workflow id
	 * @return the workflow
	 * @throws ConfigItemNotFoundException ({@code 404}) when there is no such workflow
	 */
	@GetMapping("/{*path}")
	public Map<String, @Nullable Object> workflow(@PathVariable String path) {
		String workflowId = ItemKeys.of(path);
		return this.configSync.getWorkflow(workflowId)
			.orElseThrow(() -> ConfigItemNotFoundException.workflow(workflowId));
	}

}
