package io.agentkit.sync.benchmarks;

import java.net.URI;
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
 * URL. Prints one JSON line.
 */
public final class ColdStart {

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
			long start = System.nanoTime();
			Engine engine = Engines.create(serverUrl, cacheFile, jsonMapper);
			long constructed = System.nanoTime();
			engine.sync().start();
			long end = System.nanoTime();
			System.out.println("{\"ms\": " + (end - start) / 1e6 + ", \"constructMs\": " + (constructed - start) / 1e6
					+ ", \"skills\": " + engine.sync().getSkills().size() + ", \"source\": \""
					+ engine.sync().getStatus().source().value() + "\"}");
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

}
