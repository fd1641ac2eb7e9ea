package io.agentkit.sync;

import java.util.AbstractList;
import java.util.RandomAccess;

import org.jspecify.annotations.Nullable;

/**
 * The items of one JSON array: one object over an array of exactly its size, where an
 * unmodifiable view of {@link java.util.Arrays#asList(Object[])} takes two, which counts
 * when a configuration holds tens of thousands of arrays. Takes {@code null} items.
 * <p>
 * Unmodifiable: every mutator, of the list and of its iterators and sublists, throws
 * {@link UnsupportedOperationException} (those of {@link AbstractList}). Equality, hash
 * code and {@link #toString()} are those of any {@link java.util.List}. Safe to share
 * between threads once made.
 */
final class CompactJsonList extends AbstractList<@Nullable Object> implements RandomAccess {

	private final @Nullable Object[] items;

	/**
	 * Create a list over the given array, which it takes over: the caller must not keep
	 * it.
	 * @param items the items
	 */
	CompactJsonList(@Nullable Object[] items) {
		this.items = items;
	}

	@Override
	public @Nullable Object get(int index) {
		return this.items[index];
	}

	@Override
	public int size() {
		return this.items.length;
	}

}
