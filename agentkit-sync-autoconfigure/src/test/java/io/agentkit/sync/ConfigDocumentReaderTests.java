package io.agentkit.sync;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link ConfigDocumentReader}.
 */
class ConfigDocumentReaderTests {

	private final ConfigDocumentReader reader = new ConfigDocumentReader();

	@Test
	void validBodyKeepsEveryFieldOfEveryTypeAndDepth() {
		ConfigDocument document = readAll("""
				{"version": "v7",
				 "skills": [{"name": "summarize", "max_tokens": 512, "temperature": 0.25, "big": 12345678901234,
				   "enabled": true, "off": false, "nothing": null, "tags": ["a", 1, [2, {"deep": {"deeper": [true]}}]],
				   "prompt": {"system": "Be brief", "examples": [{"in": "x", "out": "y"}]}}],
				 "workflows": [{"workflow_id": "triage", "steps": [{"skill": "summarize", "retry": {"max": 3}}]}],
				 "synced_at": "2026-01-01T00:00:00Z"}
				""");
		ConfigSnapshot snapshot = document.snapshot();
		assertThat(snapshot.version()).isEqualTo("v7");
		assertThat(snapshot.syncedAt()).isEqualTo("2026-01-01T00:00:00Z");
		Map<String, Object> skill = snapshot.skill("summarize").orElseThrow();
		assertThat(skill).containsExactly(entry("name", "summarize"), entry("max_tokens", 512),
				entry("temperature", 0.25), entry("big", 12345678901234L), entry("enabled", true),
				entry("off", false), entry("nothing", null),
				entry("tags", List.of("a", 1, List.of(2, Map.of("deep", Map.of("deeper", List.of(true)))))),
				entry("prompt", Map.of("system", "Be brief", "examples", List.of(Map.of("in", "x", "out", "y")))));
		assertThat(snapshot.workflow("triage").orElseThrow()).containsEntry("steps",
				List.of(Map.of("skill", "summarize", "retry", Map.of("max", 3))));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "{\"version\": \"v1\"}",
			"{\"version\": \"v\\u00e9\\n1\", \"skills\": [{\"name\": \"a\", \"deep\": [{\"x\": [1, 2.5, null]}]}]}",
			"{\"extra\": {\"skills\": [1]}, \"workflows\" : [ {\"workflow_id\": \"w\"} ] , \"version\": \"v2\"}",
			"{\"version\": \"v3\", \"synced_at\": null, \"skills\": []}",
			"{\"version\": \"v4\", \"synced_at\": 1767225600.5}",
			"{\"version\": \"v5\", \"synced_at\": \"2026-01-01T00:00:00Z\", \"skills\": [{\"name\": \"caf\u00e9\"}]}",
			// Brackets, quotes and backslashes inside strings, at the ends of strings too.
			"{\"version\": \"v6\", \"skills\": [{\"name\": \"a]\", \"p\": \"}}\\\\\", \"q\": \"\\\"[\\\\\\\"\"}], \"x\": \"]\"}",
			"\n\t{ \"version\"\r\n:\t\"v7\" ,\"skills\":[ ] , \"workflows\":[{\"workflow_id\":\"v\",\"n\":[[{}],[]]},{\"workflow_id\":\"w\"}]}\n",
			// Repeated members: the last one counts.
			"{\"version\": \"v8\", \"skills\": [{\"name\": \"a\"}], \"skills\": [{\"name\": \"b\"}], \"version\": \"v9\"}",
			"{\"version\": \"v10\", \"synced_at\": {\"seconds\": 1}, \"n\": -1.5e3, \"t\": true, \"f\": false}",
			"{\"version\": \"v11\", \"synced_at\": \"2026-01-01T00:00:00Z\", \"synced_at\": null}",
			// An escape in a member's name, and a byte order mark: left to the parser.
			"{\"version\": \"v12\", \"sk\\u0069lls\": [{\"name\": \"a\"}]}",
			"\uFEFF{\"version\": \"v13\", \"skills\": [{\"name\": \"a\"}]}",
			"{\"version\": \"v14\", \"skills\": [{\"name\": \"\u65e5\u672c\u8a9e\", \"emoji\": \"\ud83d\ude42\"}]}" })
	void scanFindsTheSamePartsAsAFullRead(String body) {
		assertThat(this.reader.scanAll(bytes(body))).isEqualTo(readAll(body).parts());
	}

	@Test
	void scanChecksTheVersionOnlyAndGoesOverTheItemsWithoutParsingThem() {
		assertThat(this.reader.scanAll(bytes("{\"version\": \"v1\", \"skills\": [{\"id\": 1}]}")).skillsJson())
			.hasToString("[{\"id\": 1}]");
		// Not JSON inside the items: found all the same, for the full read to refuse.
		assertThat(this.reader.scanAll(bytes("{\"version\": \"v1\", \"skills\": [{\"id\": tru}]}")).skillsJson())
			.hasToString("[{\"id\": tru}]");
		assertScanRefuses("{\"version\": 1, \"skills\": []}", "'version' is a number, not a string");
		assertScanRefuses("{\"version\": \"v1\"} {", "goes on after the end of the document");
		assertScanRefuses("{\"version\": \"v1\", \"skills\": [", "not valid JSON");
		assertScanRefuses("{\"skills\": []}", "'version' is missing");
	}

	@Test
	void unknownTopLevelFieldsOfAnyTypeAreIgnored() {
		ConfigDocument document = readAll("""
				{"server": {"name": "agentkit", "nested": [1, [2, {"x": null}]]}, "count": 3, "flag": true,
				 "note": null, "list": [{"name": 5}], "version": "v1", "trailer": "x"}
				""");
		assertThat(document.snapshot().version()).isEqualTo("v1");
		assertThat(document.snapshot().skills()).isEmpty();
	}

	@Test
	void missingSkillsAndWorkflowsAreEmptyAndMissingSyncedAtIsNull() {
		ConfigDocument document = readAll("{\"version\": \"v1\"}");
		assertThat(document.snapshot().skills()).isEmpty();
		assertThat(document.snapshot().workflows()).isEmpty();
		assertThat(document.snapshot().syncedAt()).isNull();
		assertThat(document.parts().skillsJson()).isEqualTo(JsonText.of("[]"));
		assertThat(document.parts().workflowsJson()).isEqualTo(JsonText.of("[]"));
		assertThat(document.parts().syncedAtJson()).isEqualTo(JsonText.of("null"));
		assertThat(document.parts().versionJson()).isEqualTo(JsonText.of("\"v1\""));
		assertThat(document.cachedAt()).isNull();
	}

	@Test
	void nullSyncedAtIsNull() {
		ConfigDocument document = readAll("{\"version\": \"v1\", \"synced_at\": null, \"skills\": []}");
		assertThat(document.snapshot().syncedAt()).isNull();
		assertThat(document.parts().syncedAtJson()).isEqualTo(JsonText.of("null"));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void syncedAtThatIsNotAStringIsKeptAsItCameAndShownAsItsJsonText(CapturedOutput output) {
		ConfigDocument number = readAll("{\"version\": \"v1\", \"synced_at\": 1767225600, \"skills\": [{\"name\": \"a\"}]}");
		assertThat(number.snapshot().syncedAt()).isEqualTo("1767225600");
		assertThat(number.parts().syncedAtJson()).isEqualTo(JsonText.of("1767225600"));
		assertThat(number.snapshot().skillNames()).containsExactly("a");
		assertThat(output).contains("'synced_at' is 1767225600, not an ISO-8601 string");
		ConfigDocument object = readAll("{\"version\": \"v1\", \"synced_at\": {\"at\": [1, true]} }");
		assertThat(object.snapshot().syncedAt()).isEqualTo("{\"at\":[1,true]}");
		assertThat(object.parts().syncedAtJson()).isEqualTo(JsonText.of("{\"at\": [1, true]}"));
		ConfigDocument cached = readParts("\"v1\"", "[]", "[]", "1767225600", null);
		assertThat(cached.snapshot().syncedAt()).isEqualTo("1767225600");
		assertThat(cached.parts().syncedAtJson()).isEqualTo(JsonText.of("1767225600"));
	}

	@Test
	void bodyInAnotherEncodingThanUtf8SaysTheServerMustSendUtf8() {
		byte[] latin1 = "{\"version\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new ConfigDocumentReader().readAll(latin1))
			.withMessageContaining("the body is not UTF-8")
			.withMessageContaining("so the server must send UTF-8");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedUtf8")
	void bytesThatAreNotUtf8ButThatTheParserTakesForCharactersAreRefused(String description, byte[] malformed) {
		byte[] body = concat(bytes("{\"version\": \"v1\", \"skills\": [{\"name\": \"a"), malformed,
				bytes("\"}]}"));
		assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(() -> this.reader.readAll(body))
			.withMessageContaining("the body is not UTF-8: the byte 0x%02X (at byte 40)", malformed[0] & 0xFF)
			.withMessageContaining("so the server must send UTF-8");
		byte[] version = concat(bytes("{\"version\": \"v"), malformed, bytes("\"}"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.reader.readVersion(version))
			.withMessageContaining("the body is not UTF-8");
		JsonText skills = JsonText.ofUtf8(concat(bytes("[{\"name\": \"a"), malformed, bytes("\"}]")));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.reader.readParts(JsonText.of("\"v1\""), skills, null, null, null))
			.withMessageContaining("'skills' is not UTF-8");
	}

	static Stream<Arguments> malformedUtf8() {
		return Stream.of(arguments("overlong U+0000", new byte[] { (byte) 0xC0, (byte) 0x80 }),
				arguments("overlong '/'", new byte[] { (byte) 0xC1, (byte) 0xAF }),
				arguments("overlong in three bytes", new byte[] { (byte) 0xE0, (byte) 0x80, (byte) 0xAF }),
				arguments("overlong in four bytes",
						new byte[] { (byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF }),
				arguments("U+110000", new byte[] { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 }),
				arguments("a lead byte past U+10FFFF",
						new byte[] { (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80 }));
	}

	@Test
	void charactersOfOneToFourBytesAtTheEdgesOfTheirRangesAreKept() {
		String name = "a\u007f\u0080\u07ff\u0800\ud7ff\ue000\uffff\ud800\udc00\udbff\udfff";
		ConfigDocument document = readAll("{\"version\": \"v1\", \"skills\": [{\"name\": \"" + name + "\"}]}");
		assertThat(document.snapshot().skill(name)).isPresent();
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			all.writeBytes(part);
		}
		return all.toByteArray();
	}

	@Test
	void jsonErrorsCarryNoParserSettingsOrSourceNotes() {
		for (String body : List.of("{\"version\": NaN}", "{\"version\": \"v1\", \"skills\": [{",
				"{\"version\": \"v1\", /* a comment */ \"skills\": []}", "{\"version\": \"v1\"} // a comment")) {
			assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(() -> readAll(body))
				.withMessageNotContaining("JsonReadFeature")
				.withMessageNotContaining("Source:")
				.withMessageNotContaining("enable")
				.withMessageNotContaining("Feature");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidBodies")
	void invalidBodyIsRejectedWithAMessageNamingThePart(String description, String body, String message) {
		assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(() -> readAll(body))
			.withMessageContaining(message);
	}

	static Stream<Arguments> invalidBodies() {
		return Stream.of(
				arguments("not JSON", "this is not json", "not valid JSON"),
				arguments("truncated JSON", "{\"version\": \"v1\", \"skills\": [", "not valid JSON"),
				arguments("cut short", "{\"version\": \"v1\", \"skills\": [{\"name\": \"a\"",
						"(near byte 41); the body ends before its JSON does: it was cut short"),
				arguments("NaN", "{\"version\": \"v1\", \"skills\": [{\"name\": \"a\", \"x\": NaN}]}",
						"Non-standard token 'NaN' (near byte 51); JSON has no NaN or Infinity"),
				arguments("an HTML page", "<!DOCTYPE html><html><body>Down for maintenance</body></html>",
						"the body is not valid JSON: it starts with '<' (near byte 0), as an HTML or XML page does"),
				arguments("an HTML page after a line break", "\n<html></html>",
						"it starts with '<' (near byte 1), as an HTML or XML page does"),
				arguments("'<' inside the JSON", "{\"version\": \"v1\", \"skills\": [<a>]}",
						"Unexpected character ('<'"),
				arguments("empty body", "", "the body is empty"),
				arguments("array body", "[{\"version\": \"v1\"}]", "the body is a list, not a JSON object"),
				arguments("string body", "\"v1\"", "the body is a string, not a JSON object"),
				arguments("no version", "{\"skills\": []}", "'version' is missing"),
				arguments("null version", "{\"version\": null}", "'version' is null, not a string"),
				arguments("numeric version", "{\"version\": 42}", "'version' is a number, not a string"),
				arguments("object version", "{\"version\": {\"id\": \"v1\"}}", "'version' is an object, not a string"),
				arguments("blank version", "{\"version\": \"  \"}", "'version' is blank"),
				arguments("skills not a list", "{\"version\": \"v1\", \"skills\": {\"name\": \"a\"}}", "'skills' is an object, not a list of objects"),
				arguments("skills null", "{\"version\": \"v1\", \"skills\": null}", "'skills' is null, not a list of objects"),
				arguments("workflows not a list", "{\"version\": \"v1\", \"workflows\": \"triage\"}", "'workflows' is a string, not a list of objects"),
				arguments("skill not an object", "{\"version\": \"v1\", \"skills\": [{\"name\": \"a\"}, \"b\"]}", "skills[1] is a string, not an object"),
				arguments("skill without name", "{\"version\": \"v1\", \"skills\": [{\"title\": \"a\"}]}", "skills[0] has no 'name'"),
				arguments("skill with numeric name", "{\"version\": \"v1\", \"skills\": [{\"name\": 1}]}", "skills[0]'s 'name' is a number, not a string"),
				arguments("skill with null name", "{\"version\": \"v1\", \"skills\": [{\"name\": null}]}", "skills[0]'s 'name' is null, not a string"),
				arguments("workflow not an object", "{\"version\": \"v1\", \"workflows\": [[]]}", "workflows[0] is a list, not an object"),
				arguments("workflow without workflow_id", "{\"version\": \"v1\", \"workflows\": [{\"name\": \"t\"}]}", "workflows[0] has no 'workflow_id'"),
				arguments("nesting 1,000 deep", "{\"version\": \"v1\", \"skills\": [{\"name\": \"a\", \"x\": "
						+ "[".repeat(1000) + "]".repeat(1000) + "}]}", "the body is beyond what a configuration may be: Document nesting depth (501) exceeds the maximum allowed (500); the server must"),
				arguments("trailing garbage", "{\"version\": \"v1\"} garbage",
						"the body goes on after the end of the document, with text that is not valid JSON: "
								+ "Unrecognized token 'garbage'"),
				arguments("a comment", "{\"version\": \"v1\", // the tenant's\n\"skills\": []}",
						"Unexpected character ('/' (code 47)) (near byte 18), which starts a comment: JSON has no "
								+ "comments"),
				arguments("trailing second document", "{\"version\": \"v1\"} {\"version\": \"v2\"}", "after the end of the document"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "UTF-16", "UTF-16BE", "UTF-16LE", "UTF-32" })
	void bodyInAnotherEncodingThanUtf8IsRejectedNamingTheEncoding(String encoding) {
		byte[] body = "{\"version\": \"v1\", \"skills\": [{\"name\": \"a\"}]}".getBytes(Charset.forName(encoding));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new ConfigDocumentReader().readAll(body))
			.withMessageContaining("the body is not UTF-8")
			.withMessageContaining("the server must send UTF-8");
	}

	@Test
	void utf8ByteOrderMarkIsSkippedAndThePartsStayExact() {
		byte[] json = "{\"version\": \"v1\", \"skills\": [{\"name\": \"a\"}]}".getBytes(StandardCharsets.UTF_8);
		byte[] body = new byte[json.length + 3];
		body[0] = (byte) 0xEF;
		body[1] = (byte) 0xBB;
		body[2] = (byte) 0xBF;
		System.arraycopy(json, 0, body, 3, json.length);
		ConfigDocument document = new ConfigDocumentReader().readAll(body);
		assertThat(document.snapshot().version()).isEqualTo("v1");
		assertThat(document.parts().skillsJson()).isEqualTo(JsonText.of("[{\"name\": \"a\"}]"));
	}

	@Test
	void versionIsCheckedAfterTheWholeBodySoALateVersionCounts() {
		ConfigDocument document = readAll("{\"skills\": [{\"name\": \"a\"}], \"version\": \"v9\"}");
		assertThat(document.snapshot().version()).isEqualTo("v9");
		assertThat(document.snapshot().skillNames()).containsExactly("a");
	}

	@Test
	void rawJsonTextOfSkillsAndWorkflowsIsKeptByteExact() {
		String skills = "[ {\"name\":\"caf\u00e9\",\"emoji\":\"\uD83D\uDE80\",\"escaped\":\"line\\nbreak \\u00e9 \\\"q\\\" \\\\ \\/\","
				+ "\"n\":1.50,\"e\":1E+2 } ,\n\t{\"name\":\"\u65e5\u672c\"}]";
		String workflows = "[{\"workflow_id\":\"w\\u0031\",   \"x\":[ ]}]";
		ConfigDocument document = readAll("{\"version\":\"v\u00e9\",\"skills\":" + skills + ",\"workflows\":"
				+ workflows + ",\"synced_at\":\"2026-01-01T00:00:00+00:00\"}");
		assertThat(document.parts().skillsJson()).isEqualTo(JsonText.of(skills));
		assertThat(document.parts().workflowsJson()).isEqualTo(JsonText.of(workflows));
		assertThat(document.parts().versionJson()).isEqualTo(JsonText.of("\"v\u00e9\""));
		assertThat(document.parts().syncedAtJson()).isEqualTo(JsonText.of("\"2026-01-01T00:00:00+00:00\""));
		ConfigSnapshot snapshot = document.snapshot();
		assertThat(snapshot.skill("caf\u00e9").orElseThrow()).containsEntry("emoji", "\uD83D\uDE80")
			.containsEntry("escaped", "line\nbreak \u00e9 \"q\" \\ /");
		assertThat(snapshot.skillNames()).containsExactly("caf\u00e9", "\u65e5\u672c");
		assertThat(snapshot.workflowIds()).containsExactly("w1");
	}

	@Test
	void readPartsRoundTripsTheStoredText() {
		ConfigDocument original = readAll("""
				{"version": "v3", "skills": [{"name": "a", "x": {"y": [1, 2.5, null]}}, {"name": "b"}],
				 "workflows": [{"workflow_id": "w", "steps": ["a", "b"]}], "synced_at": "2026-01-01T00:00:00Z"}
				""");
		Instant cachedAt = Instant.parse("2026-02-03T04:05:06Z");
		ConfigDocument copy = this.reader.readParts(original.parts().versionJson(), original.parts().skillsJson(),
				original.parts().workflowsJson(), original.parts().syncedAtJson(), cachedAt);
		assertThat(copy.snapshot()).isEqualTo(original.snapshot());
		assertThat(copy.parts()).isEqualTo(original.parts());
		assertThat(copy.cachedAt()).isEqualTo(cachedAt);
	}

	@Test
	void readPartsTreatsMissingPartsAsEmpty() {
		ConfigDocument document = readParts("\"v1\"", null, null, null, null);
		assertThat(document.snapshot().version()).isEqualTo("v1");
		assertThat(document.snapshot().skills()).isEmpty();
		assertThat(document.snapshot().workflows()).isEmpty();
		assertThat(document.snapshot().syncedAt()).isNull();
		assertThat(document.parts().skillsJson()).isEqualTo(JsonText.of("[]"));
		assertThat(document.parts().syncedAtJson()).isEqualTo(JsonText.of("null"));
	}

	@Test
	void readPartsRejectsAPartThatIsNotUtf8() {
		JsonText latin1 = JsonText.ofUtf8("[{\"name\": \"caf\u00e9\"}]".getBytes(StandardCharsets.ISO_8859_1));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.reader.readParts(JsonText.of("\"v1\""), latin1, null, null, null))
			.withMessageContaining("not valid JSON");
	}

	@Test
	void readPartsRejectsInvalidParts() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> readParts("null", "[]", "[]", "null", null))
			.withMessageContaining("'version'");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> readParts("\"v1\"", "{\"name\": \"a\"}", "[]", "null", null))
			.withMessageContaining("'skills'");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> readParts("\"v1\"", "[]", "[{\"id\": 1}]", "null", null))
			.withMessageContaining("workflows[0]");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> readParts("\"v1\"", "[{\"name\": \"a\"}] []", "[]", "null", null))
			.withMessageContaining("after the end");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> readParts("\"v1\"", "[{\"name\": ", "[]", "null", null))
			.withMessageContaining("not valid JSON");
	}

	@Test
	void readVersionReadsOnlyTheVersion() {
		assertThat(this.reader.readVersion(bytes("{\"other\": [1, {\"version\": 3}], \"version\": \"v12\"}")))
			.isEqualTo("v12");
	}

	@Test
	void readVersionRejectsBodiesWithoutAStringVersion() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.reader.readVersion(bytes("{\"version\": 12}")))
			.withMessageContaining("'version' is a number");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.reader.readVersion(bytes("{}")))
			.withMessageContaining("'version' is missing");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.reader.readVersion(bytes("[\"v1\"]")))
			.withMessageContaining("not a JSON object");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.reader.readVersion(bytes("<html>")))
			.withMessageContaining("not valid JSON");
	}

	@Test
	void lookupsFindSkillsByNameAndWorkflowsById() {
		ConfigSnapshot snapshot = readAll("""
				{"version": "v1", "skills": [{"name": "a", "n": 1}, {"name": "b", "n": 2}],
				 "workflows": [{"workflow_id": "w1", "n": 3}, {"workflow_id": "w2", "n": 4}]}
				""").snapshot();
		assertThat(snapshot.skill("b").orElseThrow()).containsEntry("n", 2);
		assertThat(snapshot.skill("c")).isEmpty();
		assertThat(snapshot.workflow("w1").orElseThrow()).containsEntry("n", 3);
		assertThat(snapshot.workflow("a")).isEmpty();
		assertThat(snapshot.skill("w1")).isEmpty();
		assertThat(snapshot.skillNames()).containsExactly("a", "b");
		assertThat(snapshot.workflowIds()).containsExactly("w1", "w2");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void repeatedNamesKeepEveryItemAndLookupsReturnTheFirst(CapturedOutput output) {
		ConfigSnapshot snapshot = readAll("""
				{"version": "v1", "skills": [{"name": "a", "n": 1}, {"name": "a", "n": 2}]}
				""").snapshot();
		assertThat(snapshot.skills()).hasSize(2);
		assertThat(snapshot.skill("a").orElseThrow()).containsEntry("n", 1);
		assertThat(output).contains("The configuration repeats name 'a' in skills[1]; lookups return the first one");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void manyRepeatedNamesAreSaidInOneWarningNamingTheFirstFewAndHowManyMore(CapturedOutput output) {
		StringBuilder skills = new StringBuilder();
		for (int i = 0; i < 10_000; i++) {
			skills.append((i > 0) ? ", " : "").append("{\"name\": \"s").append(i % 5_000).append("\"}");
		}
		ConfigSnapshot snapshot = readAll("{\"version\": \"v1\", \"skills\": [" + skills
				+ "], \"workflows\": [{\"workflow_id\": \"w\"}, {\"workflow_id\": \"w\"}]}").snapshot();
		assertThat(snapshot.skills()).hasSize(10_000);
		assertThat(snapshot.skillNames()).hasSize(5_000);
		assertThat(output.getOut().lines().filter((line) -> line.contains("repeats"))
			.map((line) -> line.substring(line.indexOf(" : ") + 3))).containsExactly(
				"The configuration repeats name 's0' in skills[5000], 's1' in skills[5001], 's2' in skills[5002], "
						+ "'s3' in skills[5003], 's4' in skills[5004] and 4995 more (5000 repeats in skills); "
						+ "lookups return the first one",
				"The configuration repeats workflow_id 'w' in workflows[1]; lookups return the first one");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void blankNamesAndNamesWithWhiteSpaceAroundThemAreKeptAndSaidInOneWarning(CapturedOutput output) {
		ConfigSnapshot snapshot = readAll("""
				{"version": "v1", "skills": [{"name": "a"}, {"name": ""}, {"name": " summarize"},
				{"name": "translate\\n"}, {"name": "b c"}], "workflows": [{"workflow_id": "   "}]}
				""").snapshot();
		assertThat(snapshot.skill(" summarize")).isPresent();
		assertThat(snapshot.skill("")).isPresent();
		assertThat(snapshot.skill("summarize")).isEmpty();
		assertThat(snapshot.workflow("   ")).isPresent();
		assertThat(output.getOut().lines().filter((line) -> line.contains("white space around"))
			.map((line) -> line.substring(line.indexOf(" : ") + 3))).containsExactly(
				"The configuration has names that are blank or have white space around them: '' in skills[1], "
						+ "' summarize' in skills[2], 'translate\\n' in skills[3]; a lookup must give such a name "
						+ "exactly, white space included: the server should send each name without white space "
						+ "around it",
				"The configuration has workflow_ids that are blank or have white space around them: '   ' in "
						+ "workflows[0]; a lookup must give such a workflow_id exactly, white space included: the "
						+ "server should send each workflow_id without white space around it");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void namesWithoutWhiteSpaceAroundThemAreNotWarnedOf(CapturedOutput output) {
		readAll("""
				{"version": "v1", "skills": [{"name": "a"}, {"name": "b c"}, {"name": "été"}]}
				""");
		assertThat(output).doesNotContain("white space around");
	}

	@Test
	@SuppressWarnings("unchecked")
	void returnedCollectionsAreUnmodifiableAtEveryDepth() {
		ConfigSnapshot snapshot = readAll("""
				{"version": "v1", "skills": [{"name": "a", "nested": {"list": [{"k": "v"}]}}],
				 "workflows": [{"workflow_id": "w"}]}
				""").snapshot();
		Map<String, Object> skill = snapshot.skill("a").orElseThrow();
		Map<String, Object> nested = (Map<String, Object>) skill.get("nested");
		List<Object> list = (List<Object>) nested.get("list");
		Map<String, Object> inner = (Map<String, Object>) list.get(0);
		assertUnmodifiable(() -> snapshot.skills().add(new HashMap<>()));
		assertUnmodifiable(() -> snapshot.workflows().clear());
		assertUnmodifiable(() -> skill.put("name", "b"));
		assertUnmodifiable(() -> nested.remove("list"));
		assertUnmodifiable(() -> list.add("x"));
		assertUnmodifiable(() -> inner.put("k", "w"));
		assertUnmodifiable(() -> snapshot.skillsByName().clear());
		assertUnmodifiable(() -> snapshot.workflowsById().remove("w"));
		assertUnmodifiable(() -> snapshot.skillNames().clear());
		assertThat(snapshot.skill("a").orElseThrow()).containsEntry("name", "a");
	}

	private static void assertUnmodifiable(Runnable change) {
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(change::run);
	}

	@ParameterizedTest(name = "{0} is read as a {1}")
	@MethodSource("decimals")
	void decimalIsADoubleOnlyWhenTheDoubleIsTheNumberWrittenAndWritesBackAsTheSameNumber(String number,
			Class<? extends Number> type) {
		Object value = readAll("{\"version\": \"v1\", \"skills\": [{\"name\": \"a\", \"x\": " + number + "}]}")
			.snapshot()
			.skill("a")
			.orElseThrow()
			.get("x");
		assertThat(value).isInstanceOf(type);
		String written = JsonMapper.shared().writeValueAsString(value);
		assertThat(new BigDecimal(written)).as(written).isEqualByComparingTo(new BigDecimal(number));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "1e99999999999", "-2.5E+45678901234567890", "1e-99999999999", "0.5e3000000000" })
	void numberWhoseExponentNoDecimalHoldsIsRefusedWithWhereItIs(String number) {
		String body = "{\"version\": \"v1\", \"skills\": [{\"name\": \"a\", \"x\": [" + number + "]}]}";
		assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(() -> readAll(body))
			.withMessage("the number " + number + " (near byte " + body.indexOf(number)
					+ ") is too large or too small for a decimal number to hold; the server must send numbers "
					+ "whose exponent has at most nine digits");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> readParts("\"v1\"", "[{\"name\": \"a\", \"x\": " + number + "}]", null, null, null))
			.withMessageStartingWith("the number " + number + " (near byte 20)");
	}

	@Test
	void numberWithAnExponentOfNineDigitsIsKept() {
		Object value = readAll("{\"version\": \"v1\", \"skills\": [{\"name\": \"a\", \"x\": 1e999999999}]}")
			.snapshot()
			.skill("a")
			.orElseThrow()
			.get("x");
		assertThat(value).isEqualTo(new BigDecimal("1e999999999"));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "1e99999999999", "1e400", "-4.9e-324", "0.10000000000000000000001",
			"123456789012345678901234567890", "[1e400, {\"at\": -1E-400}]" })
	void syncedAtThatIsANumberIsShownAsItsTextWhateverItsSize(String syncedAt) {
		String body = "{\"version\": \"v1\", \"synced_at\": " + syncedAt + "}";
		ConfigDocument document = readAll(body);
		String shown = syncedAt.replace(" ", "");
		assertThat(document.snapshot().syncedAt()).isEqualTo(shown);
		assertThat(this.reader.scanAll(bytes(body))).isEqualTo(document.parts());
		assertThat(readParts("\"v1\"", null, null, syncedAt, null).snapshot().syncedAt()).isEqualTo(shown);
	}

	static Stream<Arguments> decimals() {
		return Stream.of(arguments("0.25", Double.class), arguments("-1.5e300", Double.class),
				arguments("1E2", Double.class), arguments("0.0", Double.class), arguments("-0.0", Double.class),
				arguments("0e10", Double.class), arguments("12345.678901234", Double.class),
				arguments("0.000000000000000000000123", Double.class), arguments("1e400", BigDecimal.class),
				arguments("-1e400", BigDecimal.class), arguments("-1e-400", BigDecimal.class),
				arguments("4.9e-324", BigDecimal.class), arguments("0.10000000000000000000001", BigDecimal.class),
				arguments("123456789012345.6", BigDecimal.class));
	}

	private ConfigDocument readAll(String body) {
		return this.reader.readAll(bytes(body));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private ConfigDocument readParts(String versionJson, @Nullable String skillsJson, @Nullable String workflowsJson,
			@Nullable String syncedAtJson, @Nullable Instant cachedAt) {
		return this.reader.readParts(JsonText.of(versionJson), textOrNull(skillsJson), textOrNull(workflowsJson),
				textOrNull(syncedAtJson), cachedAt);
	}

	private static @Nullable JsonText textOrNull(@Nullable String json) {
		return (json != null) ? JsonText.of(json) : null;
	}

	private void assertScanRefuses(String body, String message) {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.reader.scanAll(bytes(body)))
			.withMessageContaining(message);
	}

}
