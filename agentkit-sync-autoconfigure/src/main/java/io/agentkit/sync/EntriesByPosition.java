package io.agentkit.sync;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map.Entry;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

/**
 * The entry set of a map that keeps its keys and values by position, read through the
 * map's own arrays: each entry is made when the iterator reaches it, unmodifiable, so
 * neither the set nor its entries can change the map.
 *
 * @param <V> the type of the values
 */
final class EntriesByPosition<V> extends AbstractSet<Entry<String, V>> {

	private final int size;

	private final IntFunction<@Nullable String> keyAt;

	private final IntFunction<V> valueAt;

	/**
	 * Create the set of the given number of entries.
	 * @param size the number of entries
	 * @param keyAt the key at a position
	 * @param valueAt the value at a position
	 */
	EntriesByPosition(int size, IntFunction<@Nullable String> keyAt, IntFunction<V> valueAt) {
		this.size = size;
		this.keyAt = keyAt;
		this.valueAt = valueAt;
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public Iterator<Entry<String, V>> iterator() {
		return new Iterator<>() {

			private int next;

			@Override
			public boolean hasNext() {
				return this.next < EntriesByPosition.this.size;
			}

			@Override
			public Entry<String, V> next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				int position = this.next++;
				return new SimpleImmutableEntry<>(EntriesByPosition.this.keyAt.apply(position),
						EntriesByPosition.this.valueAt.apply(position));
			}

		};
	}

}
