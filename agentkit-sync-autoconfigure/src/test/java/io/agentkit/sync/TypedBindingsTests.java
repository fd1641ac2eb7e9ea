package io.agentkit.sync;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TypedBindings}.
 */
class TypedBindingsTests {

	private final TypedBindings bindings = new TypedBindings(JsonMapper.builder().build());

	private final Map<String, Object> skill = Map.of("name", "summarize", "limit", 512, "retry",
			Map.of("max", 3, "backoff", "1s"), "unknown", List.of(1, Map.of("x", true)));

	@Test
	void bindsToARecordIgnoringUnknownFields() {
		Summarize bound = this.bindings.bind("skill", "summarize", this.skill, Summarize.class);
		assertThat(bound).isEqualTo(new Summarize("summarize", 512, new Retry(3, "1s")));
	}

	@Test
	void bindsToAPlainClass() {
		PlainSkill bound = this.bindings.bind("skill", "summarize", this.skill, PlainSkill.class);
		assertThat(bound.getName()).isEqualTo("summarize");
		assertThat(bound.getLimit()).isEqualTo(512);
	}

	@Test
	void sameBindingReturnsTheSameInstance() {
		Summarize first = this.bindings.bind("skill", "summarize", this.skill, Summarize.class);
		assertThat(this.bindings.bind("skill", "summarize", this.skill, Summarize.class)).isSameAs(first);
	}

	@Test
	void bindingsAreKeptApartByKindKeyAndType() {
		Summarize skill = this.bindings.bind("skill", "summarize", this.skill, Summarize.class);
		Summarize workflow = this.bindings.bind("workflow", "summarize", this.skill, Summarize.class);
		Summarize other = this.bindings.bind("skill", "other", this.skill, Summarize.class);
		PlainSkill plain = this.bindings.bind("skill", "summarize", this.skill, PlainSkill.class);
		assertThat(workflow).isNotSameAs(skill);
		assertThat(other).isNotSameAs(skill);
		assertThat(plain).isNotNull();
	}

	@Test
	void mismatchNamesTheItemTheTypeAndTheNestedField() {
		Map<String, Object> broken = Map.of("name", "summarize", "retry", Map.of("max", "many"));
		assertThatExceptionOfType(ConfigBindingException.class)
			.isThrownBy(() -> this.bindings.bind("skill", "summarize", broken, Summarize.class))
			.withMessageContaining("skill 'summarize'")
			.withMessageContaining(Summarize.class.getName())
			.withMessageContaining("field 'retry.max'");
	}

	@Test
	void mismatchInAListNamesTheIndex() {
		Map<String, Object> broken = Map.of("workflow_id", "triage", "steps",
				List.of(Map.of("max", 1), Map.of("max", "many")));
		assertThatExceptionOfType(ConfigBindingException.class)
			.isThrownBy(() -> this.bindings.bind("workflow", "triage", broken, Steps.class))
			.withMessageContaining("workflow 'triage'")
			.withMessageContaining("field 'steps[1].max'");
	}

	@Test
	void failedBindingIsNotCached() {
		Map<String, Object> broken = Map.of("name", "summarize", "limit", "lots");
		assertThatExceptionOfType(ConfigBindingException.class)
			.isThrownBy(() -> this.bindings.bind("skill", "summarize", broken, Summarize.class));
		assertThat(this.bindings.bind("skill", "summarize", this.skill, Summarize.class).limit()).isEqualTo(512);
	}

	record Summarize(String name, int limit, Retry retry) {

	}

	record Retry(int max, String backoff) {

	}

	record Steps(List<Retry> steps) {

	}

	static class PlainSkill {

		private String name;

		private int limit;

		String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = limit;
		}

	}

}
