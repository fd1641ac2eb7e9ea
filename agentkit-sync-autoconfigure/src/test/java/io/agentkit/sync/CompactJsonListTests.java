package io.agentkit.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ListIterator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CompactJsonList}.
 */
class CompactJsonListTests {

	@Test
	void behavesLikeAListOfTheSameItems() {
		List<Object> expected = new ArrayList<>(Arrays.asList("a", 1, null, List.of(2.5)));
		List<Object> list = new CompactJsonList(expected.toArray());
		assertThat(list).containsExactlyElementsOf(expected);
		assertThat(list).isEqualTo(expected);
		assertThat(expected).isEqualTo(list);
		assertThat(list.hashCode()).isEqualTo(expected.hashCode());
		assertThat(list.toString()).isEqualTo(expected.toString());
		assertThat(list.get(2)).isNull();
		assertThat(list.indexOf(1)).isEqualTo(1);
		assertThat(list.subList(1, 3)).containsExactly(1, null);
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> list.get(4));
	}

	@Test
	void refusesEveryChange() {
		List<Object> list = new CompactJsonList(new Object[] { "a", "b" });
		assertUnmodifiable(() -> list.add("c"));
		assertUnmodifiable(() -> list.set(0, "c"));
		assertUnmodifiable(() -> list.remove(0));
		assertUnmodifiable(() -> list.removeIf((item) -> true));
		assertUnmodifiable(() -> list.replaceAll((item) -> item));
		assertUnmodifiable(() -> list.sort(null));
		assertUnmodifiable(list::clear);
		assertUnmodifiable(() -> {
			ListIterator<Object> iterator = list.listIterator();
			iterator.next();
			iterator.set("c");
		});
		assertUnmodifiable(() -> list.subList(0, 1).clear());
		assertThat(list).containsExactly("a", "b");
	}

	private static void assertUnmodifiable(Runnable change) {
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(change::run);
	}

}
