package io.agentkit.sync;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What changed in one kind of item (skills or workflows) between two configurations.
 *
 * @param added the keys only the new configuration has
 * @param removed the keys only the old configuration has
 * @param changed the keys both have, with different content
 */
public record ConfigChanges(Set<String> added, Set<String> removed, Set<String> changed) {

	/**
	 * Compare two sets of items by key.
	 * @param before the old items by key
	 * @param after the new items by key
	 * @return the changes
	 */
	public static ConfigChanges between(Map<String, ? extends Map<String, @Nullable Object>> before,
			Map<String, ? extends Map<String, @Nullable Object>> after) {
		Set<String> added = new LinkedHashSet<>();
		Set<String> changed = new LinkedHashSet<>();
		after.forEach((key, item) -> {
			Map<String, @Nullable Object> previous = before.get(key);
			if (previous == null) {
				added.add(key);
			}
			else if (!Objects.equals(previous, item)) {
				changed.add(key);
			}
		});
		Set<String> removed = new LinkedHashSet<>(before.keySet());
		removed.removeAll(after.keySet());
		return new ConfigChanges(Collections.unmodifiableSet(added), Collections.unmodifiableSet(removed),
				Collections.unmodifiableSet(changed));
	}

	/**
	 * Whether nothing changed.
	 * @return {@code true} when no key was added, removed or changed
	 */
	public boolean isEmpty() {
		return this.added.isEmpty() && this.removed.isEmpty() && this.changed.isEmpty();
	}

}
