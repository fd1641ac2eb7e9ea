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
 * Serves the skills of the configuration in force, as the server sent them.
 *
 * @author AgentKit
 */
@RestController
@RequestMapping("/skills")
public class SkillController {

	private final ConfigSync configSync;

	/**
	 * Create a new instance.
	 * @param configSync the engine that holds the configuration in force
	 */
	public SkillController(ConfigSync configSync) {
		this.configSync = configSync;
	}

	/**
	 * Return all skills, in server order.
	 * @return the skills, empty when no configuration is in force
	 */
	@GetMapping
	public List<Map<String, @Nullable Object>> skills() {
		return this.configSync.getSkills();
	}

	/**
	 * Return one skill; a name that contains {@code /} is given as it is
	 * ({@code /skills/team/summarize}).
	 * @param path the rest of the path: {@code /} and the skill name
	 * @return the skill
	 * @throws ConfigItemNotFoundException ({@code 404}) when there is no such skill
	 */
	@GetMapping("/{*path}")
	public Map<String, @Nullable Object> skill(@PathVariable String path) {
		String name = ItemKeys.of(path);
		return this.configSync.getSkill(name).orElseThrow(() -> ConfigItemNotFoundException.skill(name));
	}

}
