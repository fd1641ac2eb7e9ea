package io.agentkit.sync;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TopLevelMembers}.
 */
class TopLevelMembersTests {

	private final TopLevelMembers members = new TopLevelMembers(List.of("version", "skills"));

	@Test
	void findsTheValueOfEachMemberAndMinusOneForAMissingOne() {
		String body = " {\"a\": [1, {\"b\": \"]\"}], \"version\" : \"v1\", \"n\": -2.5e3, \"t\": true} ";
		int[] ranges = this.members.find(bytes(body));
		assertThat(ranges).isNotNull();
		assertThat(body.substring(ranges[0], ranges[1])).isEqualTo("\"v1\"");
		assertThat(ranges[2]).isEqualTo(-1);
		assertThat(ranges[3]).isEqualTo(-1);
	}

	@Test
	void theLastOfARepeatedMemberCounts() {
		String body = "{\"skills\": [1], \"skills\": [2, 3]}";
		int[] ranges = this.members.find(bytes(body));
		assertThat(body.substring(ranges[2], ranges[3])).isEqualTo("[2, 3]");
	}

	@Test
	void emptyObjectHasNoMembers() {
		assertThat(this.members.find(bytes(" { } "))).containsExactly(-1, -1, -1, -1);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "", "[]", "\"x\"", "{", "{\"version\"}", "{\"version\": }", "{\"version\": \"v1\"",
			"{\"version\": \"v1\",}", "{\"version\": \"v1\" \"skills\": []}", "{\"version\": \"v1\"} x",
			"{\"skills\": [1, 2}", "{\"skills\": [\"]}", "{\"sk\\u0069lls\": []}", "{/* a comment */}",
			"\uFEFF{}", "{\"version\": \"unterminated}" })
	void bodyThatIsNotAnObjectReadPlainlyIsLeftToTheParser(String body) {
		assertThat(this.members.find(bytes(body))).isNull();
	}

	@Test
	void stringsEndAtTheirClosingQuoteWhereverQuotesAndBackslashesFallInThem() {
		JsonFactory json = new JsonFactory();
		SplittableRandom random = new SplittableRandom(42);
		char[] alphabet = { 'a', '"', '\\', ']', '}', '[', '{', ',', 'é', '日', '\n', '\u0001' };
		for (int round = 0; round < 2_000; round++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(40);
			for (int i = 0; i < length; i++) {
				text.append(alphabet[random.nextInt(alphabet.length)]);
			}
			ByteArrayOutputStream skills = new ByteArrayOutputStream();
			try (JsonGenerator generator = json.createGenerator(skills)) {
				generator.writeStartArray();
				generator.writeStartObject();
				generator.writeStringProperty(text.toString(), text.toString());
				generator.writeEndObject();
				generator.writeString(text.toString());
				generator.writeEndArray();
			}
			String skillsJson = skills.toString(StandardCharsets.UTF_8);
			String body = "{\"x\": " + skillsJson + ", \"skills\": " + skillsJson + ", \"version\": \"v\"}";
			byte[] bytes = bytes(body);
			int[] ranges = this.members.find(bytes);
			assertThat(ranges).as(body).isNotNull();
			assertThat(new String(bytes, ranges[2], ranges[3] - ranges[2], StandardCharsets.UTF_8)).as(body)
				.isEqualTo(skillsJson);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
