package io.agentkit.sync;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The result of one sync cycle.
 *
 * @param outcome what the cycle did
 * @param version the version in force after the cycle, or {@code null} when none is
 * @param duration how long the cycle took
 * @param error why the cycle failed, or {@code null} when it did not
 */
public record SyncResult(SyncOutcome outcome, @Nullable String version, Duration duration, @Nullable String error) {

}
