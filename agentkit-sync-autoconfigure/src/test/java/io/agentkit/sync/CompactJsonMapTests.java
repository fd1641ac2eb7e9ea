package io.agentkit.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CompactJsonMap}.
 */
class CompactJsonMapTests {

	@Test
	void keepsInsertionOrderAndBehavesLikeALinkedHashMap() {
		for (int size : List.of(0, 1, CompactJsonMap.SCAN_LIMIT, CompactJsonMap.SCAN_LIMIT + 1, 1_000)) {
			CompactJsonMap.Builder<Object> builder = new CompactJsonMap.Builder<>();
			Map<String, Object> expected = new LinkedHashMap<>();
			for (int i = size - 1; i >= 0; i--) {
				builder.put("key-" + i, i);
				expected.put("key-" + i, i);
			}
			Map<String, Object> map = builder.build();
			assertThat(map).containsExactlyEntriesOf(expected);
			assertThat(map).isEqualTo(expected);
			assertThat(expected).isEqualTo(map);
			assertThat(map.hashCode()).isEqualTo(expected.hashCode());
			assertThat(map.toString()).isEqualTo(expected.toString());
			for (int i = 0; i < size; i++) {
				assertThat(map.get(new String("key-" + i))).isEqualTo(i);
			}
			assertThat(map.get("key-" + size)).isNull();
			assertThat(map.containsKey("key-" + size)).isFalse();
			assertThat(map.get(42)).isNull();
		}
	}

	@Test
	void findsEveryOneOfManyNumberedKeys() {
		CompactJsonMap.Builder<Object> builder = new CompactJsonMap.Builder<>();
		for (int i = 0; i < 100_000; i++) {
			builder.put(String.format("skill-%06d", i), i);
		}
		Map<String, Object> map = builder.build();
		for (int i = 0; i < 100_000; i++) {
			assertThat(map.get(String.format("skill-%06d", i))).isEqualTo(i);
		}
		assertThat(map.get("skill-100000")).isNull();
		assertThat(map.containsKey("skill-0")).isFalse();
	}

	@Test
	void repeatedKeyKeepsItsFirstPositionAndTakesTheLastValueLikeAJsonObject() {
		for (int size : List.of(3, 40)) {
			CompactJsonMap.Builder<Object> builder = new CompactJsonMap.Builder<>();
			Map<String, Object> expected = new LinkedHashMap<>();
			for (int i = 0; i < size; i++) {
				builder.put("key-" + i, i);
				expected.put("key-" + i, i);
			}
			builder.put("key-1", "again");
			expected.put("key-1", "again");
			assertThat(builder.build()).containsExactlyEntriesOf(expected);
		}
	}

	@Test
	void keysWithTheSameHashStayApart() {
		// "Aa" and "BB" have the same hash code, as do "AaAa", "AaBB", "BBAa" and "BBBB".
		for (int size : List.of(0, 40)) {
			CompactJsonMap.Builder<Object> builder = numberedKeys(size);
			for (String key : List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB")) {
				builder.put(key, key.toLowerCase());
			}
			builder.put(new String("BB"), "again");
			Map<String, Object> map = builder.build();
			assertThat(map).hasSize(size + 6)
				.containsEntry("Aa", "aa")
				.containsEntry("BB", "again")
				.containsEntry("BBAa", "bbaa")
				.containsEntry("BBBB", "bbbb");
		}
	}

	@Test
	void keysCraftedToShareOneHashAreIndexedByAHashMapAndStillBehave() {
		List<String> keys = keysWithOneHash(12);
		assertThat(keys).hasSize(4096).allMatch((key) -> key.hashCode() == keys.get(0).hashCode());
		CompactJsonMap.Builder<Object> builder = new CompactJsonMap.Builder<>();
		Map<String, Object> expected = new LinkedHashMap<>();
		builder.put("first", 0);
		expected.put("first", 0);
		for (int i = 0; i < keys.size(); i++) {
			builder.put(keys.get(i), i);
			expected.put(keys.get(i), i);
		}
		builder.put(new String(keys.get(7)), "again");
		expected.put(keys.get(7), "again");
		builder.put(null, "null key");
		expected.put(null, "null key");
		CompactJsonMap<Object> map = builder.build();
		assertThat(map.isIndexedByHashMap()).isTrue();
		assertThat(map).containsExactlyEntriesOf(expected);
		for (int i = 0; i < keys.size(); i++) {
			assertThat(map.get(new String(keys.get(i)))).isEqualTo((i == 7) ? "again" : i);
		}
		assertThat(map.get(null)).isEqualTo("null key");
		assertThat(map.containsKey(keysWithOneHash(13).get(8191))).isFalse();
		builder.put("a", 1);
		assertThat(builder.build().isIndexedByHashMap()).isFalse();
	}

	@Test
	void numberedKeysNeverNeedTheHashMapIndex() {
		CompactJsonMap.Builder<Object> builder = new CompactJsonMap.Builder<>();
		for (int i = 0; i < 100_000; i++) {
			builder.put(String.format("skill-%06d", i), i);
		}
		assertThat(builder.build().isIndexedByHashMap()).isFalse();
	}

	/**
	 * Return a builder holding {@code key-0} to {@code key-<size - 1>}, each with its
	 * number.
	 */
	private static CompactJsonMap.Builder<Object> numberedKeys(int size) {
		CompactJsonMap.Builder<Object> builder = new CompactJsonMap.Builder<>();
		for (int i = 0; i < size; i++) {
			builder.put("key-" + i, i);
		}
		return builder;
	}

	/**
	 * Return the 2^bits keys made of "Aa" and "BB", which all have the same hash code.
	 */
	static List<String> keysWithOneHash(int bits) {
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < (1 << bits); i++) {
			StringBuilder key = new StringBuilder();
			for (int bit = bits - 1; bit >= 0; bit--) {
				key.append((((i >> bit) & 1) == 0) ? "Aa" : "BB");
			}
			keys.add(key.toString());
		}
		return keys;
	}

	@Test
	void nullValuesAreKeptAndTellableFromAbsentKeys() {
		CompactJsonMap.Builder<Object> builder = new CompactJsonMap.Builder<>();
		builder.put("present", null);
		Map<String, Object> map = builder.build();
		assertThat(map.containsKey("present")).isTrue();
		assertThat(map.get("present")).isNull();
		assertThat(map.containsKey("absent")).isFalse();
		assertThat(map.entrySet()).hasSize(1);
	}

	@Test
	void takesANullKeyLikeALinkedHashMap() {
		for (int size : List.of(3, 40)) {
			CompactJsonMap.Builder<Object> builder = new CompactJsonMap.Builder<>();
			for (int i = 0; i < size; i++) {
				builder.put((i == 1) ? null : "key-" + i, i);
			}
			builder.put(null, "again");
			Map<String, Object> map = builder.build();
			assertThat(map).hasSize(size).containsEntry(null, "again").containsEntry("key-2", 2);
			assertThat(map.keySet()).element(1).isNull();
		}
	}

	@Test
	void builderIsEmptyAfterBuildAndMakesIndependentMaps() {
		CompactJsonMap.Builder<Object> builder = numberedKeys(1_000);
		Map<String, Object> large = builder.build();
		builder.put("key-1", "small");
		Map<String, Object> small = builder.build();
		Map<String, Object> empty = builder.build();
		assertThat(large).hasSize(1_000).containsEntry("key-1", 1).containsEntry("key-999", 999);
		assertThat(small).containsExactly(Map.entry("key-1", "small"));
		assertThat(empty).isEmpty();
		for (int i = 0; i <= CompactJsonMap.SCAN_LIMIT; i++) {
			builder.put("other-" + i, i);
		}
		assertThat(builder.build()).hasSize(CompactJsonMap.SCAN_LIMIT + 1)
			.containsEntry("other-" + CompactJsonMap.SCAN_LIMIT, CompactJsonMap.SCAN_LIMIT)
			.doesNotContainKey("key-1");
	}

	@Test
	void mapRefusesEveryChangeWithoutAWrapper() {
		for (int size : List.of(1, 40)) {
			CompactJsonMap.Builder<Object> builder = numberedKeys(size);
			Map<String, Object> map = builder.build();
			assertUnmodifiable(() -> map.put("b", 2));
			assertUnmodifiable(() -> map.putAll(Map.of("b", 2)));
			assertUnmodifiable(() -> map.putIfAbsent("b", 2));
			assertUnmodifiable(() -> map.remove("key-0"));
			assertUnmodifiable(() -> map.replace("key-0", 2));
			assertUnmodifiable(() -> map.replaceAll((key, value) -> value));
			assertUnmodifiable(() -> map.computeIfPresent("key-0", (key, value) -> null));
			assertUnmodifiable(map::clear);
			assertUnmodifiable(() -> map.entrySet().iterator().next().setValue(3));
			assertUnmodifiable(() -> map.entrySet().removeIf((entry) -> true));
			assertUnmodifiable(() -> map.keySet().remove("key-0"));
			assertUnmodifiable(() -> map.values().clear());
			assertThat(map).hasSize(size).containsEntry("key-0", 0);
		}
	}

	private static void assertUnmodifiable(Runnable change) {
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(change::run);
	}

}
