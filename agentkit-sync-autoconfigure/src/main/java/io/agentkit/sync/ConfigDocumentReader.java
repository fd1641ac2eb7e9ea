package io.agentkit.sync;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

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

	/**
	 * The most significant decimal digits that every double keeps exactly.
	 */
	private static final int DOUBLE_DIGITS = 15;

	/**
	 * A body whose first value starts with {@code <} within this many bytes (after white
	 * space or a byte order mark) is taken for a page of markup.
	 */
	private static final int MARKUP_START = 8;

	private static final Log logger = LogFactory.getLog(ConfigDocumentReader.class);

	/**
	 * The members {@link #scanAll(byte[])} finds: {@link #VERSION}, {@link #SKILLS},
	 * {@link #WORKFLOWS} and {@link #SYNCED_AT}, in this order.
	 */
	private static final TopLevelMembers PARTS = new TopLevelMembers(
			List.of(ConfigParts.VERSION, ConfigParts.SKILLS, ConfigParts.WORKFLOWS, ConfigParts.SYNCED_AT));

	private static final int VERSION = 0;

	private static final int SKILLS = 1;

	private static final int WORKFLOWS = 2;

	private static final int SYNCED_AT = 3;

	private final JsonFactory jsonFactory;

	/**
	 * Create a reader with a default {@link JsonFactory}.
	 */
	public ConfigDocumentReader() {
		this(new JsonFactory());
	}

	/**
	 * Create a reader that uses the given factory (and its limits) to create parsers. A
	 * reader needs Jackson's streaming parser only, not an object mapper, which would take
	 * a fresh JVM a few hundred milliseconds to load.
	 * @param jsonFactory the factory
	 */
	public ConfigDocumentReader(JsonFactory jsonFactory) {
		this.jsonFactory = jsonFactory;
	}

	/**
	 * Read the body of {@code /api/v1/config/all}.
	 * @param body the body bytes (UTF-8 JSON)
	 * @return the validated document
	 * @throws InvalidConfigurationException when the body breaks the protocol
	 */
	public ConfigDocument readAll(byte[] body) {
		return readTopLevel(body, true);
	}

	/**
	 * Find the parts of a body of {@code /api/v1/config/all} without reading the items:
	 * the same JSON text {@link #readAll(byte[])} gives for a valid body, in a fraction of
	 * its time, so the parts can be written while the body is still being validated. The
	 * items are gone over as bytes, to their closing bracket, not parsed; only the version
	 * is checked, and the body is valid only when {@link #readAll(byte[])} says so.
	 * @param body the body bytes (UTF-8 JSON)
	 * @return the JSON text of each part
	 * @throws InvalidConfigurationException when the body is not a JSON object with a
	 * version
	 */
	public ConfigParts scanAll(byte[] body) {
		int[] members = PARTS.find(body);
		if (members == null || !isPresent(members, VERSION)) {
			// Left to the parser, which says what is wrong with the body.
			return readTopLevel(body, false).parts();
		}
		try {
			String version = readMember(body, members, VERSION, (parser) -> readVersionValue(parser, parser.nextToken()));
			return new ConfigParts(toJson(version), memberText(body, members, SKILLS, JsonText.emptyArray()),
					memberText(body, members, WORKFLOWS, JsonText.emptyArray()), syncedAtText(body, members));
		}
		catch (JacksonException ex) {
			throw notJson(ex);
		}
	}

	/**
	 * Return the text of {@code synced_at} as {@link #readTopLevel} makes it: a string or
	 * {@code null} read and written again, any other value as it came.
	 */
	private JsonText syncedAtText(byte[] body, int[] members) {
		if (!isPresent(members, SYNCED_AT)) {
			return JsonText.nullValue();
		}
		byte first = body[members[2 * SYNCED_AT]];
		if (first != '"' && first != 'n') {
			return memberText(body, members, SYNCED_AT, JsonText.nullValue());
		}
		return toJson(readMember(body, members, SYNCED_AT, (parser) -> readSyncedAt(parser, parser.nextToken())));
	}

	private static boolean isPresent(int[] members, int member) {
		return members[2 * member] >= 0;
	}

	private <T> T readMember(byte[] body, int[] members, int member, Function<JsonParser, T> reader) {
		return readWhole(body, members[2 * member], members[2 * member + 1] - members[2 * member], reader);
	}

	private static JsonText memberText(byte[] body, int[] members, int member, JsonText absent) {
		return isPresent(members, member)
				? JsonText.copyOf(body, members[2 * member], members[2 * member + 1]) : absent;
	}

	/**
	 * Walk the top level of a body: with {@code readItems}, read and validate the items
	 * into a snapshot; without, skip them (the snapshot then has no items).
	 */
	private ConfigDocument readTopLevel(byte[] body, boolean readItems) {
		try (JsonParser parser = this.jsonFactory.createParser(body)) {
			expectObject(parser, "the body");
			if (parser.currentTokenLocation().getByteOffset() < 0) {
				// Jackson read another encoding as characters, so the parts cannot be kept as bytes.
				throw new InvalidConfigurationException("the body is not UTF-8 (it looks like UTF-16 or UTF-32); "
						+ "JSON exchanged between systems is UTF-8 (RFC 8259), so the server must send UTF-8");
			}
			ValueReader values = new ValueReader(parser);
			String version = null;
			JsonText skillsJson = JsonText.emptyArray();
			JsonText workflowsJson = JsonText.emptyArray();
			Items skills = Items.NONE;
			Items workflows = Items.NONE;
			String syncedAt = null;
			JsonText syncedAtJson = null;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken token = parser.nextToken();
				long start = parser.currentTokenLocation().getByteOffset();
				switch (field) {
					case ConfigParts.VERSION -> version = readVersionValue(parser, token);
					case ConfigParts.SKILLS -> {
						skills = readItems ? values.readItems(ConfigParts.SKILLS, ConfigSnapshot.SKILL_KEY)
								: skipItems(parser);
						skillsJson = slice(body, start, parser.currentTokenLocation().getByteOffset());
					}
					case ConfigParts.WORKFLOWS -> {
						workflows = readItems ? values.readItems(ConfigParts.WORKFLOWS, ConfigSnapshot.WORKFLOW_KEY)
								: skipItems(parser);
						workflowsJson = slice(body, start, parser.currentTokenLocation().getByteOffset());
					}
					case ConfigParts.SYNCED_AT -> {
						syncedAt = readSyncedAt(parser, token);
						syncedAtJson = isStringOrNull(token) ? null
								: JsonText.copyOf(body, (int) start, (int) parser.currentLocation().getByteOffset());
					}
					default -> parser.skipChildren();
				}
			}
			expectEnd(parser);
			if (version == null) {
				throw new InvalidConfigurationException("'version' is missing");
			}
			requireUtf8(body, "the body");
			// Said once a body: when it is read in full, not when its parts are only found.
			if (syncedAtJson != null && readItems) {
				logger.warn("The configuration's 'synced_at' is " + LogText.of(syncedAtJson)
						+ ", not an ISO-8601 string; it is kept as it came and shown as its JSON text");
			}
			return new ConfigDocument(snapshot(version, skills, workflows, syncedAt), new ConfigParts(toJson(version),
					skillsJson, workflowsJson, (syncedAtJson != null) ? syncedAtJson : toJson(syncedAt)), null);
		}
		catch (JacksonException ex) {
			throw notJson(ex);
		}
	}

	private static Items skipItems(JsonParser parser) {
		parser.skipChildren();
		return Items.NONE;
	}

	/**
	 * Read the body of {@code /api/v1/config/version}.
	 * @param body the body bytes (UTF-8 JSON)
	 * @return the version
	 * @throws InvalidConfigurationException when the body is not an object with a
	 * non-blank string {@code version}
	 */
	public String readVersion(byte[] body) {
		try (JsonParser parser = this.jsonFactory.createParser(body)) {
			expectObject(parser, "the body");
			String version = null;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken token = parser.nextToken();
				if (ConfigParts.VERSION.equals(field)) {
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
			requireUtf8(body, "the body");
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
			Items skills = readWhole(skillsText,
					(parser) -> new ValueReader(advance(parser)).readItems(ConfigParts.SKILLS,
							ConfigSnapshot.SKILL_KEY));
			Items workflows = readWhole(workflowsText,
					(parser) -> new ValueReader(advance(parser)).readItems(ConfigParts.WORKFLOWS,
							ConfigSnapshot.WORKFLOW_KEY));
			String syncedAt = readWhole(syncedAtText, (parser) -> readSyncedAt(parser, parser.nextToken()));
			requireUtf8(versionJson.utf8(), "'" + ConfigParts.VERSION + "'");
			requireUtf8(skillsText.utf8(), "'" + ConfigParts.SKILLS + "'");
			requireUtf8(workflowsText.utf8(), "'" + ConfigParts.WORKFLOWS + "'");
			requireUtf8(syncedAtText.utf8(), "'" + ConfigParts.SYNCED_AT + "'");
			return new ConfigDocument(snapshot(version, skills, workflows, syncedAt),
					new ConfigParts(versionJson, skillsText, workflowsText, syncedAtText), cachedAt);
		}
		catch (JacksonException ex) {
			throw notJson(ex);
		}
	}

	private <T> T readWhole(JsonText json, Function<JsonParser, T> reader) {
		byte[] utf8 = json.utf8();
		return readWhole(utf8, 0, utf8.length, reader);
	}

	/**
	 * Read the one JSON value the given bytes hold, failing when anything follows it.
	 */
	private <T> T readWhole(byte[] utf8, int offset, int length, Function<JsonParser, T> reader) {
		try (JsonParser parser = this.jsonFactory.createParser(utf8, offset, length)) {
			T value = reader.apply(parser);
			expectEnd(parser);
			return value;
		}
	}

	private static ConfigSnapshot snapshot(String version, Items skills, Items workflows, @Nullable String syncedAt) {
		return new ConfigSnapshot(version, skills.list(), workflows.list(), syncedAt, skills.index(),
				workflows.index());
	}

	private JsonText toJson(@Nullable String value) {
		if (value == null) {
			return JsonText.nullValue();
		}
		ByteArrayOutputStream json = new ByteArrayOutputStream(value.length() + 2);
		try (JsonGenerator generator = this.jsonFactory.createGenerator(json)) {
			generator.writeString(value);
		}
		return JsonText.ofUtf8(json.toByteArray());
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

	/**
	 * Read {@code synced_at}: a string as it is; any other value (a server that sends a
	 * number of seconds, say) as its JSON text, since it is only shown, never computed
	 * with, and the protocol does not make it a reason to refuse a configuration.
	 */
	private @Nullable String readSyncedAt(JsonParser parser, @Nullable JsonToken token) {
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token == JsonToken.VALUE_STRING) {
			return parser.getString();
		}
		StringWriter json = new StringWriter();
		try (JsonGenerator generator = this.jsonFactory.createGenerator(json)) {
			copyAsWritten(parser, generator);
		}
		return json.toString();
	}

	/**
	 * Copy the value at the parser to the generator as
	 * {@link JsonGenerator#copyCurrentStructure} does, but each number as its text: a copy
	 * through a {@code double} would make {@code 1e400} infinite, written as the string
	 * {@code "Infinity"}, and one through a {@code BigDecimal} would fail on an exponent of
	 * more than nine digits.
	 */
	private static void copyAsWritten(JsonParser parser, JsonGenerator generator) {
		int depth = 0;
		do {
			JsonToken token = parser.currentToken();
			if (token.isNumeric()) {
				generator.writeNumber(parser.getString());
			}
			else {
				generator.copyCurrentEvent(parser);
			}
			depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
		}
		while (depth > 0 && parser.nextToken() != null);
	}

	private static boolean isStringOrNull(@Nullable JsonToken token) {
		return token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NULL;
	}

	/**
	 * Reads the values of one document into unmodifiable maps and lists, with one map
	 * builder and one list buffer for each depth of nesting, reused from one object or
	 * array to the next. One for each read; not thread-safe.
	 */
	private static final class ValueReader {

		private final JsonParser parser;

		private final List<CompactJsonMap.Builder<@Nullable Object>> objects = new ArrayList<>();

		private final List<@Nullable Object[]> arrays = new ArrayList<>();

		ValueReader(JsonParser parser) {
			this.parser = parser;
		}

		/**
		 * Read an array of objects that each carry a string key, and index them by it.
		 */
		Items readItems(String part, String keyField) {
			if (this.parser.currentToken() != JsonToken.START_ARRAY) {
				throw new InvalidConfigurationException(
						"'" + part + "' is " + describe(this.parser.currentToken()) + ", not a list of objects");
			}
			List<Map<String, @Nullable Object>> items = new ArrayList<>();
			ItemIndex.Builder keys = new ItemIndex.Builder(16);
			ItemWarning unusualKeys = new ItemWarning(part);
			JsonToken token;
			while ((token = this.parser.nextToken()) != JsonToken.END_ARRAY) {
				int position = items.size();
				if (token != JsonToken.START_OBJECT) {
					throw new InvalidConfigurationException(
							part + "[" + position + "] is " + describe(token) + ", not an object");
				}
				Map<String, @Nullable Object> item = readObject(0);
				if (!(item.get(keyField) instanceof String key)) {
					throw new InvalidConfigurationException(part + "[" + position + "]"
							+ (item.containsKey(keyField)
									? "'s '" + keyField + "' is " + describeValue(item.get(keyField)) + ", not a string"
									: " has no '" + keyField + "'"));
				}
				if (key.isEmpty() || Character.isWhitespace(key.charAt(0))
						|| Character.isWhitespace(key.charAt(key.length() - 1))) {
					unusualKeys.add("'" + LogText.of(key) + "' in " + part + "[" + position + "]");
				}
				items.add(item);
				keys.add(key);
			}
			List<Map<String, @Nullable Object>> list = List.copyOf(items);
			ItemWarning repeats = new ItemWarning(part);
			Items read = new Items(list, keys.build(list,
					(key, position) -> repeats.add("'" + LogText.of(key) + "' in " + part + "[" + position + "]")));
			repeats.log("The configuration repeats " + keyField, "repeats", "; lookups return the first one");
			unusualKeys.log("The configuration has " + keyField + "s that are blank or have white space around them:",
					"such " + keyField + "s", "; a lookup must give such a " + keyField + " exactly, white space "
							+ "included: the server should send each " + keyField + " without white space around it");
			return read;
		}

		private Map<String, @Nullable Object> readObject(int depth) {
			while (this.objects.size() <= depth) {
				this.objects.add(new CompactJsonMap.Builder<>());
			}
			CompactJsonMap.Builder<@Nullable Object> object = this.objects.get(depth);
			while (this.parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = this.parser.currentName();
				this.parser.nextToken();
				object.put(name, readValue(depth + 1));
			}
			return object.build();
		}

		private @Nullable Object readValue(int depth) {
			return switch (this.parser.currentToken()) {
				case START_OBJECT -> readObject(depth);
				case START_ARRAY -> readArray(depth);
				case VALUE_STRING -> this.parser.getString();
				case VALUE_NUMBER_INT -> this.parser.getNumberValue();
				case VALUE_NUMBER_FLOAT -> readDecimal();
				case VALUE_TRUE -> Boolean.TRUE;
				case VALUE_FALSE -> Boolean.FALSE;
				default -> null;
			};
		}

		/**
		 * Read a number with a fraction or an exponent: a {@link Double} when the double is
		 * the number the text says, otherwise the {@link BigDecimal} of the text, so that
		 * {@code 1e400} stays 1e400 rather than becoming infinite (written back as the
		 * string {@code "Infinity"}), {@code 1e-400} does not become zero, and digits past
		 * a double's precision are kept.
		 */
		private Number readDecimal() {
			double value = this.parser.getDoubleValue();
			if (isExactDouble(value)) {
				return value;
			}
			try {
				return this.parser.getDecimalValue();
			}
			catch (NumberFormatException ex) {
				// Valid JSON, but its exponent does not fit the 32-bit scale of a BigDecimal.
				throw new InvalidConfigurationException("the number " + LogText.of(this.parser.getString(), 40)
						+ " (near byte " + this.parser.currentTokenLocation().getByteOffset()
						+ ") is too large or too small for a decimal number to hold; the server must send numbers "
						+ "whose exponent has at most nine digits", ex);
			}
		}

		/**
		 * Return whether a double read from the current number token is the number its
		 * text says: finite, of normal size (or zero written as zero), and written with at
		 * most fifteen significant digits, which a double keeps exactly.
		 */
		private boolean isExactDouble(double value) {
			if (Double.isInfinite(value) || (value != 0 && Math.abs(value) < Double.MIN_NORMAL)) {
				return false;
			}
			char[] text = this.parser.getStringCharacters();
			int end = this.parser.getStringOffset() + this.parser.getStringLength();
			int digits = 0;
			for (int i = this.parser.getStringOffset(); i < end; i++) {
				char c = text[i];
				if (c == 'e' || c == 'E') {
					break;
				}
				if (c >= '1' && c <= '9' || c == '0' && digits > 0) {
					digits++;
				}
			}
			return (value != 0) ? digits <= DOUBLE_DIGITS : digits == 0;
		}

		private List<@Nullable Object> readArray(int depth) {
			while (this.arrays.size() <= depth) {
				this.arrays.add(new Object[8]);
			}
			@Nullable Object[] array = this.arrays.get(depth);
			int size = 0;
			while (this.parser.nextToken() != JsonToken.END_ARRAY) {
				if (size == array.length) {
					array = Arrays.copyOf(array, 2 * size);
					this.arrays.set(depth, array);
				}
				array[size++] = readValue(depth + 1);
			}
			// The buffer is not cleared: it lives as long as this read, and overwriting
			// each reference with null costs a garbage collector barrier per value.
			return new CompactJsonList(Arrays.copyOf(array, size));
		}

	}

	/**
	 * The items of one part and their index.
	 *
	 * @param list the items, in order
	 * @param index the items by key (where a key repeats, the first item)
	 */
	private record Items(List<Map<String, @Nullable Object>> list, Map<String, Map<String, @Nullable Object>> index) {

		static final Items NONE = new Items(List.of(), Map.of());

	}

	private static void expectObject(JsonParser parser, String what) {
		JsonToken token = parser.nextToken();
		if (token != JsonToken.START_OBJECT) {
			throw new InvalidConfigurationException(what + " is " + describe(token) + ", not a JSON object");
		}
	}

	private static void expectEnd(JsonParser parser) {
		JsonToken token;
		try {
			token = parser.nextToken();
		}
		catch (JacksonException ex) {
			if (ex instanceof StreamConstraintsException) {
				throw ex;
			}
			// Jackson's words alone ("Unrecognized token 'x': was expecting (JSON String, ...")
			// would not say that the document itself was whole.
			throw new InvalidConfigurationException("the body goes on after the end of the document, with text that "
					+ "is not valid JSON: " + jsonProblem(ex) + "; the server, or something in between, added it", ex);
		}
		if (token != null) {
			throw new InvalidConfigurationException(
					"the body goes on after the end of the document, with " + describe(token));
		}
	}

	/**
	 * Refuse bytes that are not well-formed UTF-8 where Jackson's parser took them for
	 * characters: an overlong form or a code point past U+10FFFF, which would become a
	 * name of broken surrogates in memory and, kept as they came, a cache that no strict
	 * reader of UTF-8 (the Python client) can read.
	 */
	private static void requireUtf8(byte[] utf8, String what) {
		int malformed = Utf8Check.firstMalformed(utf8, 0, utf8.length);
		if (malformed >= 0) {
			throw new InvalidConfigurationException(String.format(Locale.ROOT, "%s is not UTF-8: the byte 0x%02X (at byte %d) "
					+ "begins no UTF-8 character (an overlong form, or a code point past U+10FFFF, which "
					+ "Unicode does not have); JSON exchanged between systems is UTF-8 (RFC 8259), so the server "
					+ "must send UTF-8", what, utf8[malformed] & 0xFF, malformed));
		}
	}

	private static JsonText slice(byte[] body, long start, long closingBracket) {
		return JsonText.copyOf(body, (int) start, (int) closingBracket + 1);
	}

	private static InvalidConfigurationException notJson(JacksonException ex) {
		if (ex instanceof StreamConstraintsException) {
			// Jackson names the setting of its own that holds the limit, which is not the user's to set.
			String limit = ex.getOriginalMessage().replaceAll(", from `[^`]*`", "");
			return new InvalidConfigurationException("the body is beyond what a configuration may be: " + limit
					+ "; the server must send a configuration within these limits", ex);
		}
		return new InvalidConfigurationException("the body is not valid JSON: " + jsonProblem(ex), ex);
	}

	/**
	 * Return what Jackson found wrong, in words for whoever runs the server: without the
	 * parser settings it suggests (a configuration must be plain JSON) or its notes on
	 * where the source is, and with about where in the body it is and what it likely means.
	 */
	private static String jsonProblem(JacksonException ex) {
		String problem = ex.getOriginalMessage();
		problem = problem.replaceAll(":? ?enable `[^`]*` to allow", "");
		int sourceNote = problem.indexOf(" (start marker at [Source:");
		problem = (sourceNote >= 0) ? problem.substring(0, sourceNote) : problem;
		long offset = (ex.getLocation() != null) ? ex.getLocation().getByteOffset() : -1;
		String at = (offset >= 0) ? " (near byte " + offset + ")" : "";
		if (problem.startsWith("Unexpected character ('<'") && offset >= 0 && offset < MARKUP_START) {
			return "it starts with '<'" + at + ", as an HTML or XML page does (a proxy's, a load balancer's or a "
					+ "maintenance page): check that the server URL leads to the AgentKit server's API";
		}
		if (problem.contains("maybe a (non-standard) comment?")) {
			// Jackson goes on to name the parser feature that would allow it, not the user's to set.
			return problem.substring(0, problem.indexOf(": maybe a (non-standard) comment?")) + at
					+ ", which starts a comment: JSON has no comments, so the server must send the configuration "
					+ "without them";
		}
		if (problem.startsWith("Non-standard token")) {
			return problem + at + "; JSON has no NaN or Infinity, so the server must send a number or null";
		}
		if (problem.startsWith("Unexpected end-of-input")) {
			return problem + at + "; the body ends before its JSON does: it was cut short, by the server or "
					+ "on the way";
		}
		if (problem.startsWith("Invalid UTF-8")) {
			return problem + at + "; the body is not UTF-8, and JSON exchanged between systems is UTF-8 "
					+ "(RFC 8259), so the server must send UTF-8";
		}
		return problem + at;
	}

	private static String describeValue(@Nullable Object value) {
		if (value instanceof Number) {
			return "a number";
		}
		if (value instanceof Boolean) {
			return "a boolean";
		}
		if (value instanceof Map) {
			return "an object";
		}
		return (value instanceof List) ? "a list" : "null";
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

	/**
	 * The items of a part a warning is about, said in one warning however many there are:
	 * the first few, and how many more.
	 */
	private static final class ItemWarning {

		/**
		 * How many items a warning names.
		 */
		private static final int NAMED = 5;

		private final String part;

		private final List<String> named = new ArrayList<>(NAMED);

		private int count;

		ItemWarning(String part) {
			this.part = part;
		}

		/**
		 * Add an item to the warning.
		 * @param item the item as the warning names it (its key and where it is)
		 */
		void add(String item) {
			if (this.count++ < NAMED) {
				this.named.add(item);
			}
		}

		/**
		 * Log the warning, when it is about any item: the opening, the items named, how
		 * many more (as "(12 repeats in skills)", say) and the closing.
		 */
		void log(String opening, String counted, String closing) {
			if (this.count > 0) {
				int more = this.count - this.named.size();
				logger.warn(opening + " " + String.join(", ", this.named) + ((more > 0)
						? " and " + more + " more (" + this.count + " " + counted + " in " + this.part + ")" : "")
						+ closing);
			}
		}

	}

}
