package io.agentkit.sync.hardening;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.agentkit.sync.test.ChildJavaCommand;
import org.jspecify.annotations.Nullable;

/**
 * A child JVM running a main class of this package on the test class path. Lines the
 * child prints with the {@code @@} prefix are its protocol; every other line is kept for
 * the failure message.
 */
final class ChildJvm implements AutoCloseable {

	static final String PREFIX = "@@";

	private final Process process;

	private final BlockingQueue<String> protocol = new LinkedBlockingQueue<>();

	private final List<String> output = new CopyOnWriteArrayList<>();

	private ChildJvm(Process process) {
		this.process = process;
		Thread reader = new Thread(this::pump, "child-jvm-output-" + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
		List<String> command = ChildJavaCommand.of(jvmOptions, mainClass, args);
		return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
	}

	private void pump() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.output.add(line);
				if (line.startsWith(PREFIX)) {
					this.protocol.add(line.substring(PREFIX.length()));
				}
			}
		}
		catch (IOException ex) {
			// The child is gone.
		}
	}

	/**
	 * Wait for the next protocol line that matches, dropping the others.
	 * @return the line, or {@code null} when none came in time
	 */
	@Nullable String await(Predicate<String> matcher, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			String line = this.protocol.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
			if (line == null) {
				return null;
			}
			if (matcher.test(line)) {
				return line;
			}
		}
	}

	/**
	 * Return the protocol lines not consumed yet.
	 */
	List<String> drain() {
		List<String> lines = new ArrayList<>();
		this.protocol.drainTo(lines);
		return lines;
	}

	Process process() {
		return this.process;
	}

	/**
	 * Return everything the child printed so far, for failure messages.
	 */
	String output() {
		return String.join("\n", this.output);
	}

	@Override
	public void close() {
		this.process.destroyForcibly();
	}

}
