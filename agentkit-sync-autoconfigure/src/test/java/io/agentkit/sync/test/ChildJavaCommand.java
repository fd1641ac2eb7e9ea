package io.agentkit.sync.test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs a main class in a child JVM: this JVM's {@code java}, its class
 * path, and the folder sqlite-jdbc extracts its native library into
 * ({@code org.sqlite.tmpdir}, the build's folder when Maven runs the tests), so that a
 * child killed on purpose leaves nothing behind in the system's temporary folder.
 */
public final class ChildJavaCommand {

	private static final String NATIVE_LIBRARY_FOLDER = "org.sqlite.tmpdir";

	private ChildJavaCommand() {
	}

	/**
	 * Return the command that runs a main class.
	 * @param jvmOptions the child's JVM options
	 * @param mainClass the class whose {@code main} runs
	 * @param args its arguments
	 * @return the command
	 */
	public static List<String> of(List<String> jvmOptions, Class<?> mainClass, String... args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		String nativeLibraryFolder = System.getProperty(NATIVE_LIBRARY_FOLDER);
		if (nativeLibraryFolder != null) {
			command.add("-D" + NATIVE_LIBRARY_FOLDER + "=" + nativeLibraryFolder);
		}
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass.getName());
		command.addAll(List.of(args));
		return command;
	}

}
