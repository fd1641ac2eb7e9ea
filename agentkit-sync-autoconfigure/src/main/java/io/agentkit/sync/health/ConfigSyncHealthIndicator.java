package io.agentkit.sync.health;

import java.time.Clock;
import java.time.Duration;

import io.agentkit.sync.ConfigSync;
import io.agentkit.sync.SyncReport;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the AgentKit configuration sync: {@code DOWN} when no configuration is in
 * force, {@code UP} when one is in force and fresh, the configured stale status when it is
 * older than the maximum staleness. Details name the version, its source and freshness,
 * and the last failure; never a token, a header or configuration content. Reads only
 * in-memory state, so it never waits on the server or the disk.
 */
public class ConfigSyncHealthIndicator extends AbstractHealthIndicator {

	private final ConfigSync configSync;

	private final Duration maxStaleness;

	private final Status staleStatus;

	private final Clock clock;

	/**
	 * Create an indicator.
	 * @param configSync the engine
	 * @param maxStaleness the age beyond which the configuration is stale
	 * @param staleStatus the status reported while stale
	 * @param clock the clock
	 */
	public ConfigSyncHealthIndicator(ConfigSync configSync, Duration maxStaleness, Status staleStatus, Clock clock) {
		super("AgentKit sync health check failed");
		this.configSync = configSync;
		this.maxStaleness = maxStaleness;
		this.staleStatus = staleStatus;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		SyncReport report = SyncReport.of(this.configSync, this.maxStaleness, this.clock);
		if (!report.inForce()) {
			builder.down();
		}
		else if (report.stale()) {
			builder.status(this.staleStatus);
		}
		else {
			builder.up();
		}
		builder.withDetails(report.toDetails());
	}

}
