package io.agentkit.sync.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Report}.
 */
class ReportTests {

	@Test
	void medianOfOddAndEvenSamples() {
		assertThat(Report.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
		assertThat(Report.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
	}

}
