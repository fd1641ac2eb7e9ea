package io.agentkit.sync.sample.server;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the AgentKit configuration protocol: the current version and the full
 * configuration.
 *
 * @author AgentKit
 */
@RestController
@RequestMapping("/api/v1/config")
public class ConfigController {

	private final ConfigSnapshotHolder snapshots;

	/**
	 * Create a new instance.
	 * @param snapshots the holder of the served configuration
	 */
	public ConfigController(ConfigSnapshotHolder snapshots) {
		this.snapshots = snapshots;
	}

	/**
	 * Return the version of the served configuration.
	 * @return {@code {"version": "..."}}
	 */
	@GetMapping("/version")
	public ResponseEntity<byte[]> version() {
		return json(this.snapshots.get().versionBody());
	}

	/**
	 * Return the full served configuration.
	 * @return the version, skills, workflows and time of the last change
	 */
	@GetMapping("/all")
	public ResponseEntity<byte[]> all() {
		return json(this.snapshots.get().allBody());
	}

	/**
	 * Answer {@code 503} with a problem body saying which files are invalid, when the
	 * folder has not been valid since the server started.
	 * @param ex the exception
	 * @return the problem
	 */
	@ExceptionHandler
	public ProblemDetail invalidFolder(InvalidConfigFolderException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setTitle("Invalid configuration folder");
		return problem;
	}

	private ResponseEntity<byte[]> json(byte[] body) {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
	}

}
