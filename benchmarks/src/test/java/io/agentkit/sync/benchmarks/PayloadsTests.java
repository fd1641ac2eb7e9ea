package io.agentkit.sync.benchmarks;

import java.nio.charset.StandardCharsets;

import io.agentkit.sync.ConfigDocument;
import io.agentkit.sync.ConfigDocumentReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Payloads}.
 */
class PayloadsTests {

	private final ConfigDocumentReader reader = new ConfigDocumentReader();

	@Test
	void bodyIsAValidConfigurationWithTheRequestedSkills() {
		ConfigDocument document = this.reader.readAll(Payloads.body(1_000, 0));
		assertThat(document.snapshot().skills()).hasSize(1_000);
		assertThat(document.snapshot().workflows()).hasSize(10);
		assertThat(document.snapshot().version()).isEqualTo(Payloads.version(1_000, 0));
		assertThat(document.snapshot().skill(Payloads.skillName(999))).isPresent();
		assertThat(document.snapshot().skills().get(0)).containsKeys("name", "description", "model", "prompt",
				"tools", "parameters");
	}

	@Test
	void skillsAreAboutFiveHundredBytesEach() {
		int skills = 1_000;
		double perSkill = (double) Payloads.body(skills, 0).length / skills;
		assertThat(perSkill).isBetween(450.0, 600.0);
	}

	@Test
	void variantsDifferOnlyInVersion() {
		String first = new String(Payloads.body(100, 0), StandardCharsets.UTF_8);
		String second = new String(Payloads.body(100, 1), StandardCharsets.UTF_8);
		assertThat(first).isNotEqualTo(second);
		assertThat(second.replace(Payloads.version(100, 1), Payloads.version(100, 0))).isEqualTo(first);
	}

}
