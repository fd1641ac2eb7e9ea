package io.agentkit.sync;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * The fields of one JSON object, in document order, held in
 * one array of alternating keys and values: a fraction of the memory and the objects of a
 * {@link java.util.LinkedHashMap} and its entries, which counts when a configuration
 * holds tens of thousands of objects. A small map is searched by a scan of its keys; a
 * larger one through an open-addressing table of hashes and positions, so a lookup reads
 * one slot of the table, one key and one value rather than a chain of entries scattered
 * over the heap. Keys crafted to share one hash code, which would make that table
 * quadratic to fill, are indexed with a {@link HashMap} instead (see {@link #MAX_PROBES}).
 * <p>
 * Unmodifiable: every mutator, of the map and of its views, throws
 * {@link UnsupportedOperationException} (those of {@link AbstractMap}), so it is handed
 * out as it is, without a wrapper. Equality, hash code and
 * {@link #toString()} are those of any {@link java.util.Map}; like a
 * {@link java.util.LinkedHashMap} it takes one {@code null} key and {@code null}
 * values. Safe to share between threads once built.
 *
 * @param <V> the type of the values
 */
final class CompactJsonMap<V> extends AbstractMap<String, V> {

	/**
	 * Maps with at most this many keys are searched by a scan.
	 */
	static final int SCAN_LIMIT = 16;

	/**
	 * A key whose insertion probes more slots than this makes the map index its keys with
	 * a {@link HashMap} instead: only keys crafted to share a hash get there, and a table
	 * would compare each new one with all of them (quadratic), where a {@code HashMap}
	 * keeps them in a tree.
	 */
	static final int MAX_PROBES = 128;

	private final @Nullable Object[] keysAndValues;

	/**
	 * Two ints a slot: the hash and the position of the key plus one (zero for an empty
	 * slot); {@code null} for a small map.
	 */
	private final int @Nullable [] table;

	/**
	 * The position of each key, for a map whose keys share hashes (see
	 * {@link #MAX_PROBES}); otherwise {@code null}.
	 */
	private final @Nullable Map<@Nullable String, Integer> positions;

	private CompactJsonMap(@Nullable Object[] keysAndValues, int @Nullable [] table,
			@Nullable Map<@Nullable String, Integer> positions) {
		this.keysAndValues = keysAndValues;
		this.table = table;
		this.positions = positions;
	}

	@Override
	public int size() {
		return this.keysAndValues.length >> 1;
	}

	@Override
	public boolean containsKey(@Nullable Object key) {
		return indexOf(key) >= 0;
	}

	@Override
	@SuppressWarnings("unchecked")
	public @Nullable V get(@Nullable Object key) {
		int index = indexOf(key);
		return (index >= 0) ? (V) this.keysAndValues[index + 1] : null;
	}

	/**
	 * Return the array index of the key, or {@code -1}.
	 */
	private int indexOf(@Nullable Object key) {
		if (key != null && !(key instanceof String)) {
			return -1;
		}
		if (this.positions != null) {
			return positionToIndex(this.positions.get(key));
		}
		if (this.table == null) {
			// A loop of its own, not a helper shared with the builder: the JIT then compiles
			// it for lookups, which mostly hit the first keys, not for building, where most
			// comparisons miss (measured: a shared helper made reads about twice as slow).
			for (int i = 0; i < this.keysAndValues.length; i += 2) {
				if (Objects.equals(key, this.keysAndValues[i])) {
					return i;
				}
			}
			return -1;
		}
		return find(this.table, this.keysAndValues, key);
	}

	/**
	 * Find a key through a table: the array index of the key, or {@code -1}. The hash is
	 * compared before the key, so a probe that misses does not read a key.
	 */
	private static int find(int[] table, @Nullable Object[] keysAndValues, @Nullable Object key) {
		int hash = Objects.hashCode(key);
		int mask = (table.length >> 1) - 1;
		for (int slot = home(hash, mask);; slot = (slot + 1) & mask) {
			int position = table[2 * slot + 1];
			if (position == 0) {
				return -1;
			}
			int index = (position - 1) << 1;
			if (table[2 * slot] == hash && Objects.equals(key, keysAndValues[index])) {
				return index;
			}
		}
	}

	/**
	 * Return whether the keys are indexed by a {@link HashMap} (see {@link #MAX_PROBES}).
	 * @return whether they are
	 */
	boolean isIndexedByHashMap() {
		return this.positions != null;
	}

	private static int positionToIndex(@Nullable Integer position) {
		return (position != null) ? 2 * position : -1;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void forEach(BiConsumer<? super String, ? super V> action) {
		for (int i = 0; i < this.keysAndValues.length; i += 2) {
			action.accept((String) this.keysAndValues[i], (V) this.keysAndValues[i + 1]);
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public Set<Entry<String, V>> entrySet() {
		return new EntriesByPosition<>(size(), (position) -> (String) this.keysAndValues[2 * position],
				(position) -> (V) this.keysAndValues[2 * position + 1]);
	}

	/**
	 * Return the slot where the search for a hash starts: the high bits of the hash times
	 * the golden ratio (Fibonacci hashing). Keys whose hashes differ only in their low bits,
	 * as numbered names do ({@code skill-000001}, {@code skill-000002}, ...), land apart
	 * rather than side by side, where linear probing would run along clusters: for 100,000
	 * such names the mean probe run falls from about 30 slots to about 2.
	 */
	static int home(int hash, int mask) {
		return ((hash * 0x9E3779B9) >>> Integer.numberOfLeadingZeros(mask)) & mask;
	}

	/**
	 * Return the number of slots of a table for the given number of keys: a power of two
	 * at least twice as large, so probes stay short.
	 */
	static int tableSize(int keys) {
		return Integer.highestOneBit(Math.max(2 * keys - 1, 1)) << 1;
	}

	/**
	 * Collects the keys and values of one map, in order. Not thread-safe. After
	 * {@link #build()} it is empty and can collect the next map, so a reader keeps one for
	 * each depth of nesting rather than making one for each object.
	 *
	 * @param <V> the type of the values
	 */
	static final class Builder<V> {

		private @Nullable Object[] keysAndValues;

		/**
		 * The hash of each key, so a scan compares a key only when its hash matches.
		 */
		private int[] hashes;

		private int size;

		private int @Nullable [] table;

		private @Nullable Map<@Nullable String, Integer> positions;

		/**
		 * Create a builder.
		 */
		Builder() {
			this.keysAndValues = new Object[16];
			this.hashes = new int[8];
		}

		/**
		 * Set a key to a value. A key that is already there keeps its position and takes
		 * the new value, as with {@link java.util.LinkedHashMap#put(Object, Object)}.
		 * @param key the key
		 * @param value the value
		 */
		void put(@Nullable String key, @Nullable V value) {
			int index = find(key);
			if (index >= 0) {
				this.keysAndValues[index + 1] = value;
			}
			else {
				append(key, value);
			}
		}

		/**
		 * Return the map of the keys and values collected since the last build, and empty
		 * the builder.
		 * @return the map
		 */
		CompactJsonMap<V> build() {
			@Nullable Object[] exact = Arrays.copyOf(this.keysAndValues, 2 * this.size);
			int[] table = this.table;
			if (table != null && table.length > 2 * tableSize(this.size)) {
				// Sized for the builder's capacity, which an earlier, larger map may have set.
				int[] smaller = table(exact, this.size, this.size);
				table = (smaller != null) ? smaller : table;
			}
			CompactJsonMap<V> map = new CompactJsonMap<>(exact, table, this.positions);
			// The keys and values are left in place, to be overwritten by the next map:
			// clearing them would cost a garbage collector barrier per reference, and a
			// builder lives only as long as the read of one document.
			this.size = 0;
			this.table = null;
			this.positions = null;
			return map;
		}

		private int find(@Nullable String key) {
			if (this.positions != null) {
				return positionToIndex(this.positions.get(key));
			}
			if (this.table == null) {
				int hash = Objects.hashCode(key);
				for (int i = 0; i < this.size; i++) {
					if (this.hashes[i] == hash && Objects.equals(key, this.keysAndValues[2 * i])) {
						return 2 * i;
					}
				}
				return -1;
			}
			return CompactJsonMap.find(this.table, this.keysAndValues, key);
		}

		private void append(@Nullable String key, @Nullable V value) {
			if (2 * this.size == this.keysAndValues.length) {
				this.keysAndValues = Arrays.copyOf(this.keysAndValues, 4 * this.size);
				this.hashes = Arrays.copyOf(this.hashes, 2 * this.size);
			}
			this.hashes[this.size] = Objects.hashCode(key);
			this.keysAndValues[2 * this.size] = key;
			this.keysAndValues[2 * this.size + 1] = value;
			this.size++;
			if (this.positions != null) {
				this.positions.put(key, this.size - 1);
				return;
			}
			if (this.table != null && 2 * this.size > this.table.length >> 1) {
				this.table = null;
			}
			if (this.table == null && this.size > SCAN_LIMIT) {
				rebuildTable();
			}
			else if (this.table != null && insert(this.table, key, this.size) > MAX_PROBES) {
				indexWithHashMap();
			}
		}

		private void indexWithHashMap() {
			this.table = null;
			this.positions = new HashMap<>();
			for (int position = 0; position < this.size; position++) {
				this.positions.put((String) this.keysAndValues[2 * position], position);
			}
		}

		private void rebuildTable() {
			this.table = table(this.keysAndValues, this.size, Math.max(this.size, this.keysAndValues.length >> 1));
			if (this.table == null) {
				indexWithHashMap();
			}
		}

		/**
		 * Return a table of the first keys with room for the given number, or {@code null}
		 * when a key probes more than {@link #MAX_PROBES} slots.
		 */
		private static int @Nullable [] table(@Nullable Object[] keysAndValues, int size, int capacity) {
			int[] table = new int[2 * tableSize(capacity)];
			for (int position = 1; position <= size; position++) {
				if (insert(table, (String) keysAndValues[2 * (position - 1)], position) > MAX_PROBES) {
					return null;
				}
			}
			return table;
		}

		/**
		 * Put a key's position in the first free slot from its home.
		 * @return the number of slots probed
		 */
		private static int insert(int[] table, @Nullable String key, int position) {
			int hash = Objects.hashCode(key);
			int mask = (table.length >> 1) - 1;
			int slot = home(hash, mask);
			int probes = 1;
			while (table[2 * slot + 1] != 0) {
				slot = (slot + 1) & mask;
				probes++;
			}
			table[2 * slot] = hash;
			table[2 * slot + 1] = position;
			return probes;
		}

	}

}
