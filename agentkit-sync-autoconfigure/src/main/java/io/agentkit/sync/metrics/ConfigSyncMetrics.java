package io.agentkit.sync.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncReport;
import io.agentkit.sync.SyncTotals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for the AgentKit configuration sync:
 * <ul>
 * <li>{@code agentkit.sync.cycles}: sync cycles, tagged {@code outcome} = {@code updated},
 * {@code unchanged} or {@code failed};</li>
 * <li>{@code agentkit.sync.pull}: the count and total duration of full pulls (fetch,
 * validate, persist, publish);</li>
 * <li>{@code agentkit.sync.age}: seconds since the configuration in force was last
 * confirmed ({@code NaN} when none is);</li>
 * <li>{@code agentkit.sync.skills}, {@code agentkit.sync.workflows}: the counts in
 * force;</li>
 * <li>{@code agentkit.sync.consecutive.failures}: failed cycles since the last
 * success.</li>
 * </ul>
 * Every meter reads the engine when it is read ({@link ConfigSync#getTotals()} for the
 * cycles and pulls), so the startup cycle, which runs before any registry is bound, is
 * counted too, and registries bound at different times agree.
 */
public class ConfigSyncMetrics implements MeterBinder {

	private final ConfigSync configSync;

	private final Clock clock;

	/**
	 * Create the binder.
	 * @param configSync the engine
	 * @param clock the clock for the age gauge
	 */
	public ConfigSyncMetrics(ConfigSync configSync, Clock clock) {
		this.configSync = configSync;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (SyncOutcome outcome : SyncOutcome.values()) {
			FunctionCounter.builder("agentkit.sync.cycles", this.configSync, (sync) -> totals(sync).cycles(outcome))
				.description("Configuration sync cycles, by outcome")
				.baseUnit("cycles")
				.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
		FunctionTimer
			.builder("agentkit.sync.pull", this.configSync, (sync) -> totals(sync).pulls(),
					(sync) -> totals(sync).pullTime().toNanos(), TimeUnit.NANOSECONDS)
			.description("Full configuration pulls: fetch, validate, persist and publish")
			.register(registry);
		Gauge.builder("agentkit.sync.age", this, ConfigSyncMetrics::ageSeconds)
			.description("Seconds since the configuration in force was last confirmed by the server")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("agentkit.sync.skills", this.configSync, (sync) -> sync.getSkills().size())
			.description("Number of skills in the configuration in force")
			.baseUnit("skills")
			.register(registry);
		Gauge.builder("agentkit.sync.workflows", this.configSync, (sync) -> sync.getWorkflows().size())
			.description("Number of workflows in the configuration in force")
			.baseUnit("workflows")
			.register(registry);
		Gauge.builder("agentkit.sync.consecutive.failures", this.configSync,
				(sync) -> SyncReport.statusOf(sync).consecutiveFailures())
			.description("Number of failed sync cycles since the last success")
			.baseUnit("failures")
			.register(registry);
	}

	private double ageSeconds() {
		Duration age = SyncReport.statusOf(this.configSync).age(this.clock.instant());
		return (age != null) ? age.toMillis() / 1000.0 : Double.NaN;
	}

	/**
	 * Return the engine's totals, or none when it answers none (a test's mock of it).
	 */
	private static SyncTotals totals(ConfigSync configSync) {
		SyncTotals totals = configSync.getTotals();
		return (totals != null) ? totals : SyncTotals.NONE;
	}

}
