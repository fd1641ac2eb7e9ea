package io.agentkit.sync;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JsonText}.
 */
class JsonTextTests {

	@Test
	void textIsItsUtf8Bytes() {
		JsonText text = JsonText.of("[\"caf\u00e9\"]");
		assertThat(text.utf8()).isEqualTo("[\"caf\u00e9\"]".getBytes(StandardCharsets.UTF_8));
		assertThat(text.length()).isEqualTo(9);
		assertThat(text).hasToString("[\"caf\u00e9\"]");
	}

	@Test
	void textsWithTheSameBytesAreEqual() {
		JsonText text = JsonText.of("{\"a\": 1}");
		JsonText same = JsonText.ofUtf8("{\"a\": 1}".getBytes(StandardCharsets.UTF_8));
		assertThat(text).isEqualTo(same).hasSameHashCodeAs(same);
		assertThat(text).isNotEqualTo(JsonText.of("{\"a\":1}"));
	}

	@Test
	void copyOfTakesARangeAndOwnsIt() {
		byte[] body = "{\"skills\": [1, 2]}".getBytes(StandardCharsets.UTF_8);
		JsonText skills = JsonText.copyOf(body, 11, 17);
		body[12] = '9';
		assertThat(skills).hasToString("[1, 2]");
	}

	@Test
	void emptyArrayAndNullAreTheirJson() {
		assertThat(JsonText.emptyArray()).hasToString("[]");
		assertThat(JsonText.nullValue()).hasToString("null");
	}

}
