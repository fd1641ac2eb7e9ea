package io.agentkit.sync;

import java.util.Collections;
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
	void putIfAbsentKeepsTheFirstValue() {
		for (int size : List.of(3, 40)) {
			CompactJsonMap.Builder<Object> builder = new CompactJsonMap.Builder<>(size);
			for (int i = 0; i < size; i++) {
				builder.putIfAbsent("key-" + i, i);
			}
			builder.putIfAbsent("key-1", "again");
			Map<String, Object> map = builder.build();
			assertThat(map).hasSize(size).containsEntry("key-1", 1);
		}
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
				builder.putIfAbsent((i == 1) ? null : "key-" + i, i);
			}
			builder.putIfAbsent(null, "again");
			Map<String, Object> map = builder.build();
			assertThat(map).hasSize(size).containsEntry(null, 1).containsEntry("key-2", 2);
		}
	}

	@Test
	void wrappedMapRefusesEveryChange() {
		CompactJsonMap.Builder<Object> builder = new CompactJsonMap.Builder<>();
		builder.put("a", 1);
		Map<String, Object> map = Collections.unmodifiableMap(builder.build());
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.put("b", 2));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.remove("absent"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> map.entrySet().iterator().next().setValue(3));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.keySet().clear());
		assertThat(map).containsExactly(Map.entry("a", 1));
	}

}
