package io.agentkit.sync;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogText}.
 */
class LogTextTests {

	@Test
	void plainTextIsKeptAsItIs() {
		assertThat(LogText.of("sha256-4baf7a1f09c / café ✓")).isEqualTo("sha256-4baf7a1f09c / café ✓");
		assertThat(LogText.of(null)).isEqualTo("null");
	}

	@Test
	void controlCharactersAndLineSeparatorsAreEscaped() {
		assertThat(LogText.of("v1\nERROR forged\r\tend\u001b[31m\u0000\u2028\u2029\u0085"))
			.isEqualTo("v1\\nERROR forged\\r\\tend\\u001b[31m\\u0000\\u2028\\u2029\\u0085");
	}

	@Test
	void charactersThatChangeTheDirectionOfTextAreEscaped() {
		assertThat(LogText.of("admin\u202e\u2066 ok \u2069\u202c\u200f\u061c"))
			.isEqualTo("admin\\u202e\\u2066 ok \\u2069\\u202c\\u200f\\u061c");
		// Arabic and Hebrew letters, which are shown right to left by themselves, are kept.
		assertThat(LogText.of("مهارة עברית")).isEqualTo("مهارة עברית");
	}

	@Test
	void longTextIsCutAndSaysHowLongItWas() {
		String text = "a".repeat(LogText.MAX_LENGTH) + "b".repeat(1000);
		assertThat(LogText.of(text)).isEqualTo("a".repeat(LogText.MAX_LENGTH) + "... (1200 characters)");
		assertThat(LogText.of("a".repeat(LogText.MAX_LENGTH))).isEqualTo("a".repeat(LogText.MAX_LENGTH));
	}

	@Test
	void cutNeverSplitsASurrogatePair() {
		String text = "a".repeat(LogText.MAX_LENGTH - 1) + "😀" + "z";
		assertThat(LogText.of(text)).isEqualTo("a".repeat(LogText.MAX_LENGTH - 1) + "... (202 characters)");
	}

}
