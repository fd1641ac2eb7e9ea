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
 * out for lookups in configurations of a hundred thousand items. An open-addressing table
 * keeps each key's hash, the key and its item in three arrays indexed by the same slot, so
 * the three reads of a lookup are made at once, and only the key is then followed to
 * compare it: one wait for memory fewer than in a {@link HashMap}, whose entries must be
 * reached before their key and value. The table holds copies of the keys, made one after
 * the other when it is built, so the keys a lookup compares lie together in a few
 * megabytes that stay in the processor's caches, rather than each among its item's values
 * where the reader met it (measured at 100,000 items: about half the time of the same
 * table holding the reader's keys). Keys crafted to share one hash code, which would make
 * the table quadratic to fill, and items without a key (a snapshot made by hand) are
 * indexed with a {@link LinkedHashMap} instead (see {@link CompactJsonMap#MAX_PROBES}).
 * <p>
 * Unmodifiable: every mutator, of the map and of its views, throws
 * {@link UnsupportedOperationException}. Equality, hash code and {@link #toString()} are
 * those of any {@link Map}. Safe to share between threads.
 *
 * @param <V> the type of the items
 */
final class ItemIndex<V> extends AbstractMap<String, V> {

	/**
	 * What {@link #freeSlot} answers for a key that is there already.
	 */
	private static final int REPEATED = -2;

	private final int[] hashes;

	private final @Nullable String[] keys;

	private final @Nullable Object[] values;

	/**
	 * The slot of each item, in item order.
	 */
	private final int[] slotsInOrder;

	/**
	 * The items, for keys that share hashes or an item without a key; otherwise
	 * {@code null}.
	 */
	private final @Nullable Map<@Nullable String, V> byHashMap;

	private ItemIndex(int[] hashes, @Nullable String[] keys, @Nullable Object[] values, int[] slotsInOrder,
			@Nullable Map<@Nullable String, V> byHashMap) {
		this.hashes = hashes;
		this.keys = keys;
		this.values = values;
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
	 * Return the empty slot for a key, {@link #REPEATED} when it is there already, or
	 * {@code -1} when it probes more than {@link CompactJsonMap#MAX_PROBES} slots.
	 */
	private static int freeSlot(int[] hashes, @Nullable String[] keys, String key, int hash) {
		int mask = keys.length - 1;
		int slot = CompactJsonMap.home(hash, mask);
		for (int probes = 1; probes <= CompactJsonMap.MAX_PROBES; probes++, slot = (slot + 1) & mask) {
			String candidate = keys[slot];
			if (candidate == null) {
				return slot;
			}
			if (hashes[slot] == hash && candidate.equals(key)) {
				return REPEATED;
			}
		}
		return -1;
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
		int hash = name.hashCode();
		@Nullable String[] keys = this.keys;
		int mask = keys.length - 1;
		for (int slot = CompactJsonMap.home(hash, mask);; slot = (slot + 1) & mask) {
			String candidate = keys[slot];
			if (candidate == null) {
				return -1;
			}
			if (this.hashes[slot] == hash && candidate.equals(name)) {
				return slot;
			}
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public Set<Entry<String, V>> entrySet() {
		if (this.byHashMap != null) {
			return this.byHashMap.entrySet();
		}
		return new EntriesByPosition<>(size(), (position) -> this.keys[this.slotsInOrder[position]],
				(position) -> (V) this.values[this.slotsInOrder[position]]);
	}

	/**
	 * Collects the keys of items as they are read, then indexes the items. Each key's hash
	 * is taken when the key is added, while it is still in the processor's caches, so the
	 * index is built from the collected hashes and keys without reading a key or an item
	 * back from memory (measured: hashing 10,000 keys read back after the items took a
	 * tenth of a full pull). Not thread-safe.
	 */
	static final class Builder {

		private @Nullable String[] keys;

		private int[] hashes;

		private int size;

		/**
		 * Create a builder for about the given number of items.
		 * @param expectedSize the expected number of items
		 */
		Builder(int expectedSize) {
			this.keys = new String[Math.max(expectedSize, 8)];
			this.hashes = new int[this.keys.length];
		}

		/**
		 * Add the key of the next item.
		 * @param key the key, or {@code null} for an item without one
		 */
		void add(@Nullable String key) {
			if (this.size == this.keys.length) {
				this.keys = Arrays.copyOf(this.keys, 2 * this.size);
				this.hashes = Arrays.copyOf(this.hashes, 2 * this.size);
			}
			this.keys[this.size] = key;
			this.hashes[this.size] = (key != null) ? key.hashCode() : 0;
			this.size++;
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
			int capacity = CompactJsonMap.tableSize(this.size);
			int[] hashes = new int[capacity];
			@Nullable String[] keys = new String[capacity];
			@Nullable Object[] values = new Object[capacity];
			int[] slotsInOrder = new int[this.size];
			int distinct = 0;
			for (int position = 0; position < this.size; position++) {
				String key = this.keys[position];
				int slot = (key != null) ? freeSlot(hashes, keys, key, this.hashes[position]) : -1;
				if (slot == REPEATED) {
					repeated.accept(key, position);
				}
				else if (slot >= 0) {
					hashes[slot] = this.hashes[position];
					keys[slot] = compactCopy(key);
					values[slot] = items.get(position);
					slotsInOrder[distinct++] = slot;
				}
				else {
					return byHashMap(items, repeated, position);
				}
			}
			return new ItemIndex<>(hashes, keys, values,
					(distinct < slotsInOrder.length) ? Arrays.copyOf(slotsInOrder, distinct) : slotsInOrder, null);
		}

		/**
		 * Return a copy of a key with characters of its own, made next to the copies made
		 * before it ({@code new String(String)} would share the reader's characters).
		 */
		private static String compactCopy(String key) {
			return new String(key.toCharArray());
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
			return new ItemIndex<>(new int[0], new String[0], new Object[0], new int[0],
					Collections.unmodifiableMap(byKey));
		}

	}

}
