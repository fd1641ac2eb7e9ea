package io.agentkit.sync.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.ConfigSyncListener;
import io.agentkit.sync.SyncOutcome;
import io.agentkit.sync.SyncResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for the AgentKit configuration sync:
 * <ul>
 * <li>{@code agentkit.sync.cycles}: sync cycles, tagged {@code outcome} = {@code updated},
 * {@code unchanged} or {@code failed};</li>
 * <li>{@code agentkit.sync.pull}: the duration of full pulls (fetch, validate, persist,
 * publish);</li>
 * <li>{@code agentkit.sync.age}: seconds since the configuration in force was last
 * confirmed ({@code NaN} when none is);</li>
 * <li>{@code agentkit.sync.skills}, {@code agentkit.sync.workflows}: the counts in
 * force;</li>
 * <li>{@code agentkit.sync.consecutive.failures}: failed cycles since the last
 * success.</li>
 * </ul>
 */
public class ConfigSyncMetrics implements MeterBinder, ConfigSyncListener {

	private final ConfigSync configSync;

	private final Clock clock;

	private final List<Meters> meters = new CopyOnWriteArrayList<>();

	/**
	 * Create the binder; it listens to the engine once bound to a registry.
	 * @param configSync the engine
	 * @param clock the clock for the age gauge
	 */
	public ConfigSyncMetrics(ConfigSync configSync, Clock clock) {
		this.configSync = configSync;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		boolean first = this.meters.isEmpty();
		this.meters.add(new Meters(counter(registry, SyncOutcome.UPDATED), counter(registry, SyncOutcome.UNCHANGED),
				counter(registry, SyncOutcome.FAILED),
				Timer.builder("agentkit.sync.pull")
					.description("Duration of full configuration pulls: fetch, validate, persist and publish")
					.register(registry)));
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
				(sync) -> sync.getStatus().consecutiveFailures())
			.description("Number of failed sync cycles since the last success")
			.baseUnit("failures")
			.register(registry);
		if (first) {
			this.configSync.addListener(this);
		}
	}

	private static Counter counter(MeterRegistry registry, SyncOutcome outcome) {
		return Counter.builder("agentkit.sync.cycles")
			.description("Configuration sync cycles, by outcome")
			.baseUnit("cycles")
			.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
			.register(registry);
	}

	private double ageSeconds() {
		Duration age = this.configSync.getStatus().age(this.clock.instant());
		return (age != null) ? age.toMillis() / 1000.0 : Double.NaN;
	}


	@Override
	public void cycleCompleted(SyncResult result) {
		this.meters.forEach((meters) -> meters.counter(result.outcome()).increment());
	}

	@Override
	public void pullCompleted(Duration duration, boolean success) {
		this.meters.forEach((meters) -> meters.pull().record(duration));
	}

	private record Meters(Counter updated, Counter unchanged, Counter failed, Timer pull) {

		Counter counter(SyncOutcome outcome) {
			return switch (outcome) {
				case UPDATED -> this.updated;
				case UNCHANGED -> this.unchanged;
				case FAILED -> this.failed;
			};
		}

	}

}
