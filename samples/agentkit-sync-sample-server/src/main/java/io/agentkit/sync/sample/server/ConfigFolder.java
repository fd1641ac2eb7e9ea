package io.agentkit.sync.sample.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A folder of AgentKit configuration files: {@code skills/*.json} and
 * {@code workflows/*.json}, one JSON object a file. Scans the folder cheaply, loads and
 * validates its files and computes its content hash.
 *
 * @author AgentKit
 */
public class ConfigFolder {

	private static final Log logger = LogFactory.getLog(ConfigFolder.class);

	private static final String SKILLS = "skills";

	private static final String WORKFLOWS = "workflows";

	private static final int VERSION_LENGTH = 16;

	private final Path root;

	private final JsonMapper jsonMapper;

	/**
	 * Create a new instance for the given folder.
	 * @param root the folder holding the {@code skills} and {@code workflows} folders
	 */
	public ConfigFolder(Path root) {
		this.root = root.toAbsolutePath().normalize();
		this.jsonMapper = JsonMapper.builder()
			.enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.build();
	}

	/**
	 * Return the absolute folder.
	 * @return the folder
	 */
	public Path getRoot() {
		return this.root;
	}

	/**
	 * Return whether the folder exists.
	 * @return {@code true} if the folder exists and is a directory
	 */
	public boolean exists() {
		return Files.isDirectory(this.root);
	}

	/**
	 * List the configuration files with their size and last-modified time, without
	 * reading them.
	 * @return the stamps of the configuration files, sorted by name
	 */
	public List<FileStamp> scan() {
		List<FileStamp> stamps = new ArrayList<>();
		for (Path file : listFiles()) {
			try {
				BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
				stamps.add(new FileStamp(relativeName(file), attributes.size(), attributes.lastModifiedTime()));
			}
			catch (IOException ex) {
				// Deleted since listed: leave it out; the next scan sees the change
			}
		}
		return stamps;
	}

	/**
	 * Read, validate and hash the configuration files. A file that cannot be read, is not
	 * a JSON object, lacks its string key or repeats a key seen in an earlier file is a
	 * problem of the content, named with the file.
	 * @return the loaded content
	 */
	public Content load() {
		Map<String, byte[]> files = new LinkedHashMap<>();
		List<String> problems = new ArrayList<>();
		for (Path file : listFiles()) {
			try {
				files.put(relativeName(file), Files.readAllBytes(file));
			}
			catch (IOException ex) {
				problems.add(relativeName(file) + " cannot be read (" + ex + ")");
			}
		}
		List<ObjectNode> skills = new ArrayList<>();
		List<ObjectNode> workflows = new ArrayList<>();
		Set<String> skillNames = new HashSet<>();
		Set<String> workflowIds = new HashSet<>();
		files.forEach((name, content) -> {
			String problem = name.startsWith(SKILLS + "/") ? addEntry(name, content, "name", skillNames, skills)
					: addEntry(name, content, "workflow_id", workflowIds, workflows);
			if (problem != null) {
				problems.add(name + " " + problem);
			}
		});
		return new Content(hash(files), List.copyOf(skills), List.copyOf(workflows), List.copyOf(problems));
	}

	/**
	 * Add the entry a file holds, or return what is wrong with it.
	 */
	private @Nullable String addEntry(String fileName, byte[] content, String key, Set<String> seenKeys,
			List<ObjectNode> entries) {
		JsonNode node;
		try {
			node = this.jsonMapper.readTree(content);
		}
		catch (JacksonException ex) {
			return "is not valid JSON (" + ex.getOriginalMessage() + ")";
		}
		if (node == null || !node.isObject()) {
			return "is not a JSON object";
		}
		JsonNode keyNode = node.get(key);
		if (keyNode == null || !keyNode.isString()) {
			return "has no string field '" + key + "'";
		}
		if (!seenKeys.add(keyNode.stringValue())) {
			return "repeats " + key + " '" + keyNode.stringValue() + "' of an earlier file";
		}
		entries.add((ObjectNode) node);
		return null;
	}

	private List<Path> listFiles() {
		List<Path> files = new ArrayList<>();
		files.addAll(listFiles(this.root.resolve(SKILLS)));
		files.addAll(listFiles(this.root.resolve(WORKFLOWS)));
		return files;
	}

	private List<Path> listFiles(Path directory) {
		List<Path> files = new ArrayList<>();
		if (!Files.isDirectory(directory)) {
			return files;
		}
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.json")) {
			for (Path file : stream) {
				if (!file.getFileName().toString().startsWith(".") && Files.isRegularFile(file)) {
					files.add(file);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Cannot list configuration folder " + directory + " (" + ex + ")");
		}
		files.sort(Comparator.comparing((file) -> file.getFileName().toString()));
		return files;
	}

	private String relativeName(Path file) {
		return file.getParent().getFileName() + "/" + file.getFileName();
	}

	/**
	 * Compute the version of the given files: the first 16 hex characters of the SHA-256
	 * digest over their names and contents, taken in name order so that the result does
	 * not depend on the order of the map.
	 * @param files the file contents keyed by relative file name
	 * @return the version
	 */
	public static String hash(Map<String, byte[]> files) {
		MessageDigest digest = sha256();
		files.keySet().stream().sorted().forEach((name) -> {
			byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
			byte[] content = files.get(name);
			digest.update(longBytes(nameBytes.length));
			digest.update(nameBytes);
			digest.update(longBytes(content.length));
			digest.update(content);
		});
		return HexFormat.of().formatHex(digest.digest()).substring(0, VERSION_LENGTH);
	}

	private static byte[] longBytes(long value) {
		byte[] bytes = new byte[Long.BYTES];
		for (int i = Long.BYTES - 1; i >= 0; i--) {
			bytes[i] = (byte) value;
			value >>>= 8;
		}
		return bytes;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The name, size and last-modified time of one configuration file, used to detect
	 * changes without reading the file.
	 *
	 * @param name the file name relative to the folder, for example
	 * {@code skills/summarize.json}
	 * @param size the size in bytes
	 * @param lastModified the last-modified time
	 */
	public record FileStamp(String name, long size, FileTime lastModified) {

	}

	/**
	 * The content of the folder.
	 *
	 * @param version the content hash of all configuration files
	 * @param skills the valid skills, in file name order
	 * @param workflows the valid workflows, in file name order
	 * @param problems what is wrong with the files that are not valid, each naming its
	 * file; empty when every file is valid
	 */
	public record Content(String version, List<ObjectNode> skills, List<ObjectNode> workflows,
			List<String> problems) {

		/**
		 * Return whether every file is valid.
		 * @return whether the content can be served
		 */
		public boolean isValid() {
			return this.problems.isEmpty();
		}

	}

}
