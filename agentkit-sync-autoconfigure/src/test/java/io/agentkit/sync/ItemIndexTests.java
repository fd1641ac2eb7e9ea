package io.agentkit.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ItemIndex}.
 */
class ItemIndexTests {

	private static final Function<Item, String> KEY = Item::key;

	@Test
	void findsEveryItemByAnEqualKeyAndBehavesLikeALinkedHashMap() {
		for (int size : List.of(0, 1, 2, 17, 1_000, 100_000)) {
			List<Item> items = new ArrayList<>();
			Map<String, Item> expected = new LinkedHashMap<>();
			for (int i = size - 1; i >= 0; i--) {
				Item item = new Item(String.format("skill-%06d", i), i);
				items.add(item);
				expected.put(item.key(), item);
			}
			ItemIndex<Item> index = ItemIndex.of(items, KEY, (key, position) -> {
				throw new AssertionError("nothing repeats");
			});
			assertThat(index.isIndexedByHashMap()).isFalse();
			assertThat(index).hasSize(size).containsExactlyEntriesOf(expected);
			assertThat(index).isEqualTo(expected);
			assertThat(expected).isEqualTo(index);
			assertThat(index.hashCode()).isEqualTo(expected.hashCode());
			for (int i = 0; i < size; i++) {
				String key = new String(String.format("skill-%06d", i).toCharArray());
				assertThat(index.get(key)).isEqualTo(expected.get(key));
				assertThat(index.containsKey(key)).isTrue();
			}
			assertThat(index.get(String.format("skill-%06d", size))).isNull();
			assertThat(index.containsKey("skill-")).isFalse();
			assertThat(index.get(null)).isNull();
			assertThat(index.get(42)).isNull();
		}
	}

	@Test
	void repeatedKeyKeepsTheFirstItemAndIsToldWithItsPosition() {
		List<Item> items = List.of(new Item("a", 0), new Item("b", 1), new Item(new String("a"), 2), new Item("b", 3));
		List<String> repeats = new ArrayList<>();
		ItemIndex<Item> index = ItemIndex.of(items, KEY, (key, position) -> repeats.add(key + "@" + position));
		assertThat(index).containsExactly(Map.entry("a", items.get(0)), Map.entry("b", items.get(1)));
		assertThat(repeats).containsExactly("a@2", "b@3");
	}

	@Test
	void keysOutsideLatin1AndKeysThatDifferOnlyInOneCharacterStayApart() {
		List<Item> items = List.of(new Item("café", 0), new Item("cafe", 1), new Item("日本語", 2), new Item("", 3),
				new Item("naïve-☃", 4));
		ItemIndex<Item> index = ItemIndex.of(items, KEY, (key, position) -> {
		});
		for (Item item : items) {
			assertThat(index.get(new String(item.key().toCharArray()))).isSameAs(item);
		}
		assertThat(index.get("caf")).isNull();
		assertThat(index.get("日本")).isNull();
	}

	@Test
	void indexComparesStringCopiesWhileTheyAreSmallAndPackedKeysPastThat() {
		assertThat(indexOf(keys(1_000, "skill-")).isPacked()).isFalse();
		assertThat(indexOf(keys(100_000, "skill-")).isPacked()).isTrue();
	}

	@Test
	void packedKeysOfEveryKindAreFoundAndKeptApart() {
		List<String> keys = keys(40_000, "skill-");
		// Around the longest packed key too, as keys longer are kept aside.
		List<String> special = List.of("", "café", "cafe", "日本語", "naïve-☃", "x".repeat(32), "x".repeat(33),
				"x".repeat(63), "x".repeat(64), "日".repeat(32), "日".repeat(33), "y".repeat(70_000), "☃".repeat(9_000),
				"AaAa", "BBBB", "AaBB", "\u0000");
		keys.addAll(special);
		ItemIndex<Item> index = indexOf(keys);
		assertThat(index.isPacked()).isTrue();
		assertThat(index.isIndexedByHashMap()).isFalse();
		assertThat(index).hasSize(keys.size());
		for (int i = 0; i < keys.size(); i++) {
			assertThat(index.get(new String(keys.get(i).toCharArray()))).extracting(Item::value).isEqualTo(i);
		}
		// Each of these shares the length, the hash or all but one character with a key.
		for (String absent : List.of("caf", "cafè", "日本", "日本誤", "x".repeat(31), "x".repeat(34), "x".repeat(65),
				"日".repeat(31) + "本", "日".repeat(34), "y".repeat(69_999) + "z", "BBAa", "skill-040000", "skill-00000")) {
			assertThat(index.get(absent)).as(absent).isNull();
			assertThat(index.containsKey(absent)).as(absent).isFalse();
		}
		assertThat(index.keySet()).containsExactlyElementsOf(keys);
	}

	@Test
	void packedKeysRepeatedKeepTheFirstItem() {
		List<String> keys = keys(40_000, "skill-");
		keys.add(new String(keys.get(17).toCharArray()));
		List<String> repeats = new ArrayList<>();
		List<Item> items = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			items.add(new Item(keys.get(i), i));
		}
		ItemIndex<Item> index = ItemIndex.of(items, KEY, (key, position) -> repeats.add(key + "@" + position));
		assertThat(index.isPacked()).isTrue();
		assertThat(index).hasSize(40_000);
		assertThat(index.get(keys.get(17))).extracting(Item::value).isEqualTo(17);
		assertThat(repeats).containsExactly(keys.get(17) + "@40000");
	}

	@Test
	void keysCraftedToShareOneHashAreIndexedByAHashMapAndEveryRepeatIsToldOnce() {
		// "Aa" and "BB" have the same hash code, and so do all 2^13 strings made of 13 of them.
		List<String> keys = CompactJsonMapTests.keysWithOneHash(13);
		List<Item> items = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			items.add(new Item(keys.get(i), i));
		}
		items.add(new Item(new String(keys.get(3)), -1));
		items.add(1, new Item(new String(keys.get(0)), -2));
		List<String> repeats = new ArrayList<>();
		ItemIndex<Item> index = ItemIndex.of(items, KEY, (key, position) -> repeats.add(key + "@" + position));
		assertThat(index.isIndexedByHashMap()).isTrue();
		assertThat(index).hasSize(keys.size());
		assertThat(index.keySet()).containsExactlyElementsOf(keys);
		for (int i = 0; i < keys.size(); i++) {
			assertThat(index.get(new String(keys.get(i)))).extracting(Item::value).isEqualTo(i);
		}
		assertThat(repeats).containsExactly(keys.get(0) + "@1", keys.get(3) + "@" + (items.size() - 1));
	}

	@Test
	void itemsWithoutAKeyAreKeptUnderTheNullKeyLikeALinkedHashMap() {
		List<Item> items = List.of(new Item("a", 0), new Item(null, 1), new Item(null, 2), new Item("b", 3));
		List<String> repeats = new ArrayList<>();
		ItemIndex<Item> index = ItemIndex.of(items, KEY, (key, position) -> repeats.add(key + "@" + position));
		assertThat(index.keySet()).containsExactly("a", null, "b");
		assertThat(index.get(null)).isSameAs(items.get(1));
		assertThat(index.get("b")).isSameAs(items.get(3));
		assertThat(repeats).containsExactly("null@2");
	}

	@Test
	void indexRefusesEveryChange() {
		for (List<Item> items : List.of(List.of(new Item("a", 0)), List.of(new Item(null, 0)))) {
			Map<String, Item> index = ItemIndex.of(items, KEY, (key, position) -> {
			});
			assertUnmodifiable(() -> index.put("b", items.get(0)));
			assertUnmodifiable(() -> index.remove(items.get(0).key()));
			assertUnmodifiable(index::clear);
			assertUnmodifiable(() -> index.entrySet().iterator().next().setValue(items.get(0)));
			assertUnmodifiable(() -> index.keySet().remove(items.get(0).key()));
			assertUnmodifiable(() -> index.values().clear());
			assertThat(index).hasSize(1);
		}
	}

	private static List<String> keys(int count, String prefix) {
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			keys.add(String.format("%s%06d", prefix, i));
		}
		return keys;
	}

	private static ItemIndex<Item> indexOf(List<String> keys) {
		List<Item> items = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			items.add(new Item(keys.get(i), i));
		}
		return ItemIndex.of(items, KEY, (key, position) -> {
			throw new AssertionError("nothing repeats");
		});
	}

	private static void assertUnmodifiable(Runnable change) {
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(change::run);
	}

	private record Item(String key, int value) {

	}

}
