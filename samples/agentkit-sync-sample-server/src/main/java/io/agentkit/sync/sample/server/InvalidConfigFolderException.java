package io.agentkit.sync.sample.server;

import java.nio.file.Path;
import java.util.List;

/**
 * Thrown when the configuration folder has invalid files and no valid configuration has
 * been served since the server started, so there is nothing to serve.
 *
 * @author AgentKit
 */
public class InvalidConfigFolderException extends RuntimeException {

	/**
	 * Create a new instance.
	 * @param root the configuration folder
	 * @param problems what is wrong, each naming its file
	 */
	public InvalidConfigFolderException(Path root, List<String> problems) {
		super("No configuration is served: " + describe(problems) + " (in " + root
				+ "). Fix the files; the folder is served once every file is valid.");
	}

	/**
	 * Describe the problems of the folder's files on one line.
	 * @param problems what is wrong, each naming its file
	 * @return the description
	 */
	static String describe(List<String> problems) {
		return "the configuration folder has " + ((problems.size() == 1) ? "an invalid file: " : problems.size()
				+ " invalid files: ") + String.join("; ", problems);
	}

}
