package io.agentkit.sync;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PackedKeys}.
 */
class PackedKeysTests {

	private static final List<String> KEYS = List.of("", "a", "café", "日本語", "naïve-☃", "\u0000", "\uFFFF",
			"x".repeat(PackedKeys.MAX_PACKED_LENGTH), "日".repeat(PackedKeys.MAX_PACKED_LENGTH),
			"x".repeat(PackedKeys.MAX_PACKED_LENGTH + 1), "日".repeat(PackedKeys.MAX_PACKED_LENGTH + 1),
			"y".repeat(10_000));

	@Test
	void eachKeyMatchesItsOwnHandleAndNoOther() {
		PackedKeys packed = new PackedKeys(4);
		List<Integer> handles = new ArrayList<>();
		for (String key : KEYS) {
			handles.add(add(packed, key));
		}
		packed.trim();
		assertThat(handles).doesNotContain(0).doesNotHaveDuplicates();
		for (int i = 0; i < KEYS.size(); i++) {
			for (int j = 0; j < KEYS.size(); j++) {
				assertThat(packed.matches(handles.get(i), new String(KEYS.get(j).toCharArray())))
					.as("%s against %s", i, j)
					.isEqualTo(i == j);
			}
		}
	}

	@Test
	void keysLongerThanTheLongestPackedAreKeptAsideAsCopies() {
		PackedKeys packed = new PackedKeys(16);
		String longKey = "z".repeat(PackedKeys.MAX_PACKED_LENGTH + 1);
		int longHandle = add(packed, longKey);
		int shortHandle = add(packed, "z".repeat(PackedKeys.MAX_PACKED_LENGTH));
		assertThat(longHandle).isNegative();
		assertThat(shortHandle).isPositive();
		assertThat(packed.matches(longHandle, longKey)).isTrue();
		assertThat(packed.matches(longHandle, longKey.substring(1) + "y")).isFalse();
	}

	@Test
	void keysThatShareAllButTheirLastCharacterOrTheirLengthStayApart() {
		PackedKeys packed = new PackedKeys(16);
		int latin1 = add(packed, "skill-00001");
		int wide = add(packed, "技能-00001");
		assertThat(packed.matches(latin1, "skill-00002")).isFalse();
		assertThat(packed.matches(latin1, "skill-0000")).isFalse();
		assertThat(packed.matches(latin1, "skill-000011")).isFalse();
		assertThat(packed.matches(wide, "技能-00002")).isFalse();
		assertThat(packed.matches(wide, "技能-0000")).isFalse();
		// The same low bytes in a character outside Latin-1.
		assertThat(packed.matches(latin1, "skill-0000\u0131")).isFalse();
	}

	private static int add(PackedKeys packed, String key) {
		return packed.add(key.toCharArray(), 0, key.length());
	}

}
