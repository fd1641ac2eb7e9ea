package io.agentkit.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and validates AgentKit configuration documents: the body of
 * {@code /api/v1/config/all}, the body of {@code /api/v1/config/version} and the parts
 * stored in the cache. A document is read in one streaming pass into unmodifiable values;
 * the JSON text of each part is kept as it came so the cache can store it unchanged.
 * <p>
 * Rules of the AgentKit protocol: the body is a JSON object with a non-blank string
 * {@code version}; {@code skills} and {@code workflows}, when present, are arrays of
 * objects that carry a string {@code name} (skills) or {@code workflow_id} (workflows);
 * {@code synced_at} is a string or {@code null}; other top-level fields are ignored. A
 * document that breaks a rule is rejected whole with an
 * {@link InvalidConfigurationException} naming the part. Thread-safe.
 */
public class ConfigDocumentReader {

	private static final Log logger = LogFactory.getLog(ConfigDocumentReader.class);

	private final JsonMapper jsonMapper;

	/**
	 * Create a reader with a default {@link JsonMapper}.
	 */
	public ConfigDocumentReader() {
		this(JsonMapper.builder().build());
	}

	/**
	 * Create a reader that uses the given mapper to create parsers.
	 * @param jsonMapper the mapper
	 */
	public ConfigDocumentReader(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Read the body of {@code /api/v1/config/all}.
	 * @param body the body bytes (UTF-8 JSON)
	 * @return the validated document
	 * @throws InvalidConfigurationException when the body breaks the protocol
	 */
	public ConfigDocument readAll(byte[] body) {
		try (JsonParser parser = this.jsonMapper.createParser(body)) {
			expectObject(parser, "the body");
			String version = null;
			JsonText skillsJson = JsonText.emptyArray();
			JsonText workflowsJson = JsonText.emptyArray();
			List<Map<String, @Nullable Object>> skills = List.of();
			List<Map<String, @Nullable Object>> workflows = List.of();
			String syncedAt = null;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken token = parser.nextToken();
				long start = parser.currentTokenLocation().getByteOffset();
				switch (field) {
					case "version" -> version = readVersionValue(parser, token);
					case "skills" -> {
						skills = readItems(parser, "skills", "name");
						skillsJson = slice(body, start, parser.currentTokenLocation().getByteOffset());
					}
					case "workflows" -> {
						workflows = readItems(parser, "workflows", "workflow_id");
						workflowsJson = slice(body, start, parser.currentTokenLocation().getByteOffset());
					}
					case "synced_at" -> syncedAt = readSyncedAt(parser, token);
					default -> parser.skipChildren();
				}
			}
			expectEnd(parser);
			if (version == null) {
				throw new InvalidConfigurationException("'version' is missing");
			}
			ConfigSnapshot snapshot = ConfigSnapshot.of(version, skills, workflows, syncedAt);
			return new ConfigDocument(snapshot, toJson(version), skillsJson, workflowsJson, toJson(syncedAt), null);
		}
		catch (JacksonException ex) {
			throw notJson(ex);
		}
	}

	/**
	 * Read the body of {@code /api/v1/config/version}.
	 * @param body the body bytes (UTF-8 JSON)
	 * @return the version
	 * @throws InvalidConfigurationException when the body is not an object with a
	 * non-blank string {@code version}
	 */
	public String readVersion(byte[] body) {
		try (JsonParser parser = this.jsonMapper.createParser(body)) {
			expectObject(parser, "the body");
			String version = null;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken token = parser.nextToken();
				if ("version".equals(field)) {
					version = readVersionValue(parser, token);
				}
				else {
					parser.skipChildren();
				}
			}
			expectEnd(parser);
			if (version == null) {
				throw new InvalidConfigurationException("'version' is missing");
			}
			return version;
		}
		catch (JacksonException ex) {
			throw notJson(ex);
		}
	}

	/**
	 * Read a document from the JSON text of its parts, as stored in the cache. A missing
	 * part stands for its empty value.
	 * @param versionJson the version (a JSON string)
	 * @param skillsJson the skills array, or {@code null}
	 * @param workflowsJson the workflows array, or {@code null}
	 * @param syncedAtJson {@code synced_at}, or {@code null}
	 * @param cachedAt when the parts were cached, or {@code null}
	 * @return the validated document
	 * @throws InvalidConfigurationException when a part breaks the protocol
	 */
	public ConfigDocument readParts(JsonText versionJson, @Nullable JsonText skillsJson,
			@Nullable JsonText workflowsJson, @Nullable JsonText syncedAtJson, @Nullable Instant cachedAt) {
		JsonText skillsText = (skillsJson != null) ? skillsJson : JsonText.emptyArray();
		JsonText workflowsText = (workflowsJson != null) ? workflowsJson : JsonText.emptyArray();
		JsonText syncedAtText = (syncedAtJson != null) ? syncedAtJson : JsonText.nullValue();
		try {
			String version = readWhole(versionJson, (parser) -> readVersionValue(parser, parser.nextToken()));
			List<Map<String, @Nullable Object>> skills = readWhole(skillsText,
					(parser) -> readItems(advance(parser), "skills", "name"));
			List<Map<String, @Nullable Object>> workflows = readWhole(workflowsText,
					(parser) -> readItems(advance(parser), "workflows", "workflow_id"));
			String syncedAt = readWhole(syncedAtText, (parser) -> readSyncedAt(parser, parser.nextToken()));
			ConfigSnapshot snapshot = ConfigSnapshot.of(version, skills, workflows, syncedAt);
			return new ConfigDocument(snapshot, versionJson, skillsText, workflowsText, syncedAtText, cachedAt);
		}
		catch (JacksonException ex) {
			throw notJson(ex);
		}
	}

	private <T> T readWhole(JsonText json, Function<JsonParser, T> reader) {
		try (JsonParser parser = this.jsonMapper.createParser(json.utf8())) {
			T value = reader.apply(parser);
			expectEnd(parser);
			return value;
		}
	}

	private JsonText toJson(@Nullable String value) {
		return JsonText.ofUtf8(this.jsonMapper.writeValueAsBytes(value));
	}

	private static JsonParser advance(JsonParser parser) {
		parser.nextToken();
		return parser;
	}

	private static String readVersionValue(JsonParser parser, @Nullable JsonToken token) {
		if (token != JsonToken.VALUE_STRING) {
			throw new InvalidConfigurationException("'version' is " + describe(token) + ", not a string");
		}
		String version = parser.getString();
		if (version.isBlank()) {
			throw new InvalidConfigurationException("'version' is blank");
		}
		return version;
	}

	private static @Nullable String readSyncedAt(JsonParser parser, @Nullable JsonToken token) {
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token != JsonToken.VALUE_STRING) {
			throw new InvalidConfigurationException("'synced_at' is " + describe(token) + ", not a string or null");
		}
		return parser.getString();
	}

	private static List<Map<String, @Nullable Object>> readItems(JsonParser parser, String part, String keyField) {
		if (parser.currentToken() != JsonToken.START_ARRAY) {
			throw new InvalidConfigurationException(
					"'" + part + "' is " + describe(parser.currentToken()) + ", not a list of objects");
		}
		List<Map<String, @Nullable Object>> items = new ArrayList<>();
		Set<String> keys = new HashSet<>();
		JsonToken token;
		while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
			int index = items.size();
			if (token != JsonToken.START_OBJECT) {
				throw new InvalidConfigurationException(
						part + "[" + index + "] is " + describe(token) + ", not an object");
			}
			Map<String, @Nullable Object> item = readObject(parser);
			Object key = item.get(keyField);
			if (!(key instanceof String keyValue)) {
				throw new InvalidConfigurationException(part + "[" + index + "] has no string '" + keyField + "'");
			}
			if (!keys.add(keyValue)) {
				logger.warn("The configuration repeats " + keyField + " '" + keyValue + "' in " + part + "[" + index
						+ "]; lookups return the first one");
			}
			items.add(item);
		}
		return items;
	}

	private static Map<String, @Nullable Object> readObject(JsonParser parser) {
		// A snapshot holds tens of thousands of these: a LinkedHashMap took 3.8 times the JSON in heap.
		CompactJsonMap.Builder<@Nullable Object> object = new CompactJsonMap.Builder<>();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			parser.nextToken();
			object.put(name, readValue(parser));
		}
		return Collections.unmodifiableMap(object.build());
	}

	private static @Nullable Object readValue(JsonParser parser) {
		return switch (parser.currentToken()) {
			case START_OBJECT -> readObject(parser);
			case START_ARRAY -> readArray(parser);
			case VALUE_STRING -> parser.getString();
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
			case VALUE_TRUE -> Boolean.TRUE;
			case VALUE_FALSE -> Boolean.FALSE;
			default -> null;
		};
	}

	private static List<@Nullable Object> readArray(JsonParser parser) {
		List<@Nullable Object> list = new ArrayList<>();
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			list.add(readValue(parser));
		}
		return Collections.unmodifiableList(Arrays.asList(list.toArray()));
	}

	private static void expectObject(JsonParser parser, String what) {
		JsonToken token = parser.nextToken();
		if (token != JsonToken.START_OBJECT) {
			throw new InvalidConfigurationException(what + " is " + describe(token) + ", not a JSON object");
		}
	}

	private static void expectEnd(JsonParser parser) {
		JsonToken token = parser.nextToken();
		if (token != null) {
			throw new InvalidConfigurationException("unexpected " + describe(token) + " after the end of the document");
		}
	}

	private static JsonText slice(byte[] body, long start, long closingBracket) {
		return JsonText.copyOf(body, (int) start, (int) closingBracket + 1);
	}

	private static InvalidConfigurationException notJson(JacksonException ex) {
		return new InvalidConfigurationException("the body is not valid JSON: " + ex.getOriginalMessage(), ex);
	}

	private static String describe(@Nullable JsonToken token) {
		if (token == null) {
			return "empty";
		}
		return switch (token) {
			case START_OBJECT -> "an object";
			case START_ARRAY -> "a list";
			case VALUE_STRING -> "a string";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			default -> token.toString();
		};
	}

}
