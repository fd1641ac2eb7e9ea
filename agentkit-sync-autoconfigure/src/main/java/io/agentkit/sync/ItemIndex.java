package io.agentkit.sync;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The items of a snapshot (its skills or its workflows) by their key, in item order, laid
 * out for lookups in configurations of a hundred thousand items. An open-addressing table,
 * filled up to four fifths, keeps in one {@code long} a slot each key's hash and where to
 * find the key, and the item in an array indexed by the same slot, so a lookup waits for
 * memory twice: for the slot and its item, read at once, then for the key it compares. A
 * {@link HashMap} waits four times (slot, entry, key, characters).
 * <p>
 * The keys a lookup compares are copies, made one after the other, so they lie together
 * in the processor's caches rather than each among its item's values where the reader met
 * it. While the copies take at most {@link #MAX_STRING_KEY_BYTES} they are
 * {@code String}s, which compare fastest (a few vector instructions); past that they are
 * {@link PackedKeys}, about a byte a character where a {@code String} takes some 56 bytes
 * for a 12-character name, so at 100,000 items what lookups read is about 3 MB instead of
 * 9 and stays in the caches. Measured: {@code String} copies faster up to 30,000 items
 * (20 against 30 ns), packed keys twice as fast at 100,000 (40-60 against 75-90 ns, and
 * a {@code HashMap} 100-150).
 * <p>
 * Keys crafted to share one hash code, which would make the table quadratic to fill, and
 * items without a key (a snapshot made by hand) are indexed with a {@link LinkedHashMap}
 * instead.
 * <p>
 * Unmodifiable: every mutator, of the map and of its views, throws
 * {@link UnsupportedOperationException}. Equality, hash code and {@link #toString()} are
 * those of any {@link Map}. Safe to share between threads.
 *
 * @param <V> the type of the items
 */
final class ItemIndex<V> extends AbstractMap<String, V> {

	/**
	 * Filling the table may probe this many slots a key on average, and
	 * {@link #EXTRA_PROBES} more, before its keys are taken to be crafted to share a
	 * hash and the items are indexed by a {@link LinkedHashMap}: keys of distinct hashes
	 * probe about three a key in a table filled to four fifths, while each of {@code n}
	 * keys that share one hash probes all those before it, {@code n * n / 2} in all.
	 */
	private static final long PROBES_PER_KEY = 16;

	/**
	 * The probes allowed on top of {@link #PROBES_PER_KEY}, so a small table is not
	 * judged by a few unlucky keys.
	 */
	private static final long EXTRA_PROBES = 1024;

	/**
	 * Keys are packed once their copies as {@code String}s would take more than this:
	 * about a processor's second-level cache, some 35,000 keys of 12 characters.
	 */
	static final long MAX_STRING_KEY_BYTES = 2 << 20;

	/**
	 * What a {@code String} of a few Latin-1 characters takes on top of them (its header,
	 * hash and array reference; the array's header and padding), near enough to size
	 * copies.
	 */
	private static final int STRING_OVERHEAD_BYTES = 48;

	/**
	 * Each slot's key hash in the high half and, in the low half, the key's position
	 * among {@link #keysInOrder} plus one or, when they are packed, its handle among the
	 * {@link #packedKeys} (never zero either); zero for an empty slot.
	 */
	private final long[] slots;

	private final @Nullable Object[] values;

	/**
	 * The keys, in item order: copies made side by side that lookups compare, or, when
	 * the keys are packed, the items' own.
	 */
	private final @Nullable String[] keysInOrder;

	/**
	 * The keys lookups compare, or {@code null} when they compare {@link #keysInOrder}.
	 */
	private final @Nullable PackedKeys packedKeys;

	/**
	 * The slot of each key, in item order.
	 */
	private final int[] slotsInOrder;

	/**
	 * The items, for keys that share hashes or an item without a key; otherwise
	 * {@code null}.
	 */
	private final @Nullable Map<@Nullable String, V> byHashMap;

	private ItemIndex(long[] slots, @Nullable Object[] values, @Nullable String[] keysInOrder,
			@Nullable PackedKeys packedKeys, int[] slotsInOrder, @Nullable Map<@Nullable String, V> byHashMap) {
		this.slots = slots;
		this.values = values;
		this.keysInOrder = keysInOrder;
		this.packedKeys = packedKeys;
		this.slotsInOrder = slotsInOrder;
		this.byHashMap = byHashMap;
	}

	/**
	 * Index items by their key; where a key repeats, the first item keeps it.
	 * @param <V> the type of the items
	 * @param items the items
	 * @param keyOf the key of an item, or {@code null} for an item without one
	 * @param repeated told of each repeated key and the position of the item that repeats
	 * it
	 * @return the index
	 */
	static <V> ItemIndex<V> of(List<V> items, Function<V, @Nullable String> keyOf,
			ObjIntConsumer<@Nullable String> repeated) {
		Builder keys = new Builder(items.size());
		for (V item : items) {
			keys.add(keyOf.apply(item));
		}
		return keys.build(items, repeated);
	}

	/**
	 * Return the number of slots of a table for the given number of keys: the least power
	 * of two at least a quarter larger.
	 */
	static int tableSize(int keys) {
		return Integer.highestOneBit(Math.max(keys + keys / 4, 1)) << 1;
	}

	@Override
	public int size() {
		return (this.byHashMap != null) ? this.byHashMap.size() : this.slotsInOrder.length;
	}

	@Override
	public boolean containsKey(@Nullable Object key) {
		return (this.byHashMap != null) ? this.byHashMap.containsKey(key) : slotOf(key) >= 0;
	}

	@Override
	@SuppressWarnings("unchecked")
	public @Nullable V get(@Nullable Object key) {
		if (this.byHashMap != null) {
			return this.byHashMap.get(key);
		}
		int slot = slotOf(key);
		return (slot >= 0) ? (V) this.values[slot] : null;
	}

	/**
	 * Return whether the items are indexed by a {@link LinkedHashMap}, as keys that share
	 * hashes are.
	 * @return whether they are
	 */
	boolean isIndexedByHashMap() {
		return this.byHashMap != null;
	}

	private int slotOf(@Nullable Object key) {
		if (!(key instanceof String name)) {
			return -1;
		}
		int slot = probe(this.slots, this.keysInOrder, this.packedKeys, name, name.hashCode());
		return (this.slots[slot] != 0) ? slot : -1;
	}

	/**
	 * Return the slot where the probe for a key ends: the slot that holds the key, or
	 * the first empty one.
	 */
	private static int probe(long[] slots, @Nullable String[] keysInOrder, @Nullable PackedKeys packedKeys, String key,
			int hash) {
		int mask = slots.length - 1;
		for (int slot = CompactJsonMap.home(hash, mask);; slot = (slot + 1) & mask) {
			long entry = slots[slot];
			if (entry == 0) {
				return slot;
			}
			if ((int) (entry >>> 32) == hash) {
				int place = (int) entry;
				if ((packedKeys != null) ? packedKeys.matches(place, key) : key.equals(keysInOrder[place - 1])) {
					return slot;
				}
			}
		}
	}

	/**
	 * Return whether lookups compare {@link PackedKeys}, as they do once the keys' copies
	 * as {@code String}s would take more than {@link #MAX_STRING_KEY_BYTES}.
	 * @return whether they do
	 */
	boolean isPacked() {
		return this.packedKeys != null;
	}

	@Override
	@SuppressWarnings("unchecked")
	public Set<Entry<String, V>> entrySet() {
		if (this.byHashMap != null) {
			return this.byHashMap.entrySet();
		}
		return new EntriesByPosition<>(size(), (position) -> this.keysInOrder[position],
				(position) -> (V) this.values[this.slotsInOrder[position]]);
	}

	/**
	 * Collects the keys of items as they are read, then indexes the items. Each key's hash
	 * is taken, and its characters copied, when the key is added, while it is still in the
	 * processor's caches, so the index is built from the collected hashes and characters
	 * without reading a key back from memory (measured: hashing 10,000 keys read back
	 * after the items took a tenth of a full pull; copying them read back, 1.8 ms of it).
	 * Not thread-safe.
	 */
	static final class Builder {

		private @Nullable String[] keys;

		private int[] hashes;

		private int size;

		/**
		 * The characters of the keys, one after the other, copied as each is added: the
		 * index's own copies are made from them, read in order, rather than from the
		 * keys, which lie each among its item's values.
		 */
		private char[] characters;

		/**
		 * Where each key's characters start among {@link #characters}.
		 */
		private int[] starts;

		private int characterCount;

		/**
		 * The bytes the keys would take packed, were they all Latin-1.
		 */
		private long packedBytes;

		/**
		 * Create a builder for about the given number of items.
		 * @param expectedSize the expected number of items
		 */
		Builder(int expectedSize) {
			this.keys = new String[Math.max(expectedSize, 8)];
			this.hashes = new int[this.keys.length];
			this.starts = new int[this.keys.length];
			this.characters = new char[16 * this.keys.length];
		}

		/**
		 * Add the key of the next item.
		 * @param key the key, or {@code null} for an item without one
		 */
		void add(@Nullable String key) {
			if (this.size == this.keys.length) {
				this.keys = Arrays.copyOf(this.keys, 2 * this.size);
				this.hashes = Arrays.copyOf(this.hashes, 2 * this.size);
				this.starts = Arrays.copyOf(this.starts, 2 * this.size);
			}
			this.keys[this.size] = key;
			this.starts[this.size] = this.characterCount;
			if (key != null) {
				int length = key.length();
				this.hashes[this.size] = key.hashCode();
				if (this.characters.length - this.characterCount < length) {
					// The keys' characters are fewer than the body's bytes, which fit in an array.
					this.characters = Arrays.copyOf(this.characters,
							(int) Math.min(Integer.MAX_VALUE - 8,
									Math.max(2L * this.characters.length, (long) this.characterCount + length)));
				}
				key.getChars(0, length, this.characters, this.characterCount);
				this.characterCount += length;
				if (length <= PackedKeys.MAX_PACKED_LENGTH) {
					this.packedBytes += length + 1;
				}
			}
			this.size++;
		}

		private int lengthOf(int position) {
			return ((position + 1 < this.size) ? this.starts[position + 1] : this.characterCount)
					- this.starts[position];
		}

		/**
		 * Index the items whose keys were added, in the same order; where a key repeats,
		 * the first item keeps it.
		 * @param <V> the type of the items
		 * @param items the items, one for each key added
		 * @param repeated told of each repeated key and the position of the item that
		 * repeats it
		 * @return the index
		 */
		<V> ItemIndex<V> build(List<V> items, ObjIntConsumer<@Nullable String> repeated) {
			Assert.isTrue(items.size() == this.size, "one item for each key");
			int capacity = tableSize(this.size);
			long[] slots = new long[capacity];
			@Nullable Object[] values = new Object[capacity];
			@Nullable String[] keysInOrder = new String[this.size];
			boolean packed = STRING_OVERHEAD_BYTES * (long) this.size + this.characterCount > MAX_STRING_KEY_BYTES;
			@Nullable PackedKeys packedKeys = packed
					? new PackedKeys((int) Math.min(this.packedBytes, 1 << 30)) : null;
			int[] slotsInOrder = new int[this.size];
			long probesLeft = PROBES_PER_KEY * this.size + EXTRA_PROBES;
			int mask = capacity - 1;
			int distinct = 0;
			for (int position = 0; position < this.size; position++) {
				String key = this.keys[position];
				if (key == null) {
					return byHashMap(items, repeated, position);
				}
				int hash = this.hashes[position];
				int slot = probe(slots, keysInOrder, packedKeys, key, hash);
				probesLeft -= ((slot - CompactJsonMap.home(hash, mask)) & mask) + 1;
				if (probesLeft < 0) {
					return byHashMap(items, repeated, position);
				}
				if (slots[slot] != 0) {
					repeated.accept(key, position);
				}
				else {
					int start = this.starts[position];
					int length = lengthOf(position);
					int place = (packedKeys != null) ? packedKeys.add(this.characters, start, length) : distinct + 1;
					slots[slot] = ((long) hash << 32) | (place & 0xFFFFFFFFL);
					values[slot] = items.get(position);
					// A copy with characters of its own, made next to the copies made before it.
					keysInOrder[distinct] = (packedKeys != null) ? key : new String(this.characters, start, length);
					slotsInOrder[distinct++] = slot;
				}
			}
			if (packedKeys != null) {
				packedKeys.trim();
			}
			return new ItemIndex<>(slots, values,
					(distinct < this.size) ? Arrays.copyOf(keysInOrder, distinct) : keysInOrder, packedKeys,
					(distinct < this.size) ? Arrays.copyOf(slotsInOrder, distinct) : slotsInOrder, null);
		}

		/**
		 * Index the items with a {@link LinkedHashMap}, telling of the repeated keys from
		 * the given position on (those before it were told already).
		 */
		private <V> ItemIndex<V> byHashMap(List<V> items, ObjIntConsumer<@Nullable String> repeated, int toldUpTo) {
			Map<@Nullable String, V> byKey = new LinkedHashMap<>();
			for (int position = 0; position < this.size; position++) {
				String key = this.keys[position];
				if (byKey.putIfAbsent(key, items.get(position)) != null && position >= toldUpTo) {
					repeated.accept(key, position);
				}
			}
			return new ItemIndex<>(new long[0], new Object[0], new String[0], null, new int[0],
					Collections.unmodifiableMap(byKey));
		}

	}

}
