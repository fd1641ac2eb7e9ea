package io.agentkit.sync.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import io.agentkit.sync.benchmarks.Engines.Engine;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One cold start in a fresh JVM, timed from inside so the JVM's own start is left out:
 * {@code engine} builds the engine by hand and calls {@code start()} with the server
 * down, so the configuration comes from the cache (the {@code JsonMapper} it binds types
 * with, in Spring Boot the application's own bean, is made before the clock starts);
 * {@code floor} only reads the cache rows and parses them. Arguments: the mode, the cache file, the (unreachable) server
 * URL. With the system property {@value #PRELOAD} set to a class list written by
 * {@code -XX:DumpLoadedClassList}, every class in it is loaded and initialized before the
 * clock starts, as the Python client's modules are imported before its own. Prints one
 * JSON line.
 */
public final class ColdStart {

	/**
	 * The system property naming the class list to load before the clock starts.
	 */
	static final String PRELOAD = "agentkit.benchmarks.preload";

	private ColdStart() {
	}

	/**
	 * Time one start.
	 * @param args mode, cache file, server URL
	 * @throws Exception when the start fails
	 */
	public static void main(String[] args) throws Exception {
		Path cacheFile = Path.of(args[1]);
		URI serverUrl = URI.create(args[2]);
		if (args[0].equals("engine")) {
			// The mapper for typed binding is the application's bean in Spring Boot, made
			// whether or not the engine is there.
			JsonMapper jsonMapper = JsonMapper.builder().build();
			String preload = System.getProperty(PRELOAD);
			int preloaded = (preload != null) ? preload(Path.of(preload)) : 0;
			long start = System.nanoTime();
			Engine engine = Engines.create(serverUrl, cacheFile, jsonMapper);
			long constructed = System.nanoTime();
			engine.sync().start();
			long end = System.nanoTime();
			System.out.println("{\"ms\": " + (end - start) / 1e6 + ", \"constructMs\": " + (constructed - start) / 1e6
					+ ", \"skills\": " + engine.sync().getSkills().size() + ", \"source\": \""
					+ engine.sync().getStatus().source().value() + "\", \"classesPreloaded\": " + preloaded + "}");
			engine.close();
		}
		else {
			long start = System.nanoTime();
			Floor.Parsed parsed = Floor.loadCache(new JsonFactory(), cacheFile);
			long end = System.nanoTime();
			System.out.println("{\"ms\": " + (end - start) / 1e6 + ", \"skills\": " + parsed.skills() + "}");
		}
		System.exit(0);
	}

	/**
	 * Load and initialize the classes of a list written by {@code -XX:DumpLoadedClassList}
	 * (its comments and the lines of generated classes, which start with {@code @}, left
	 * out), skipping any that this class loader cannot load.
	 * @return how many were loaded
	 */
	private static int preload(Path classList) throws IOException {
		int loaded = 0;
		for (String line : Files.readAllLines(classList)) {
			if (line.isBlank() || line.startsWith("#") || line.startsWith("@")) {
				continue;
			}
			String name = line.split(" ", 2)[0].replace('/', '.');
			try {
				Class.forName(name, true, ColdStart.class.getClassLoader());
				loaded++;
			}
			catch (ClassNotFoundException | LinkageError ex) {
				// A class of the JDK's own, generated or hidden, not found by name.
			}
		}
		return loaded;
	}

}
