package io.agentkit.sync;

import java.time.Duration;

/**
 * What an engine has done since it was made: its sync cycles by outcome, and its full
 * pulls with the time they took. The startup cycle counts like any other, so meters that
 * read these totals miss nothing however late they are bound.
 *
 * @param updatedCycles cycles that put a new configuration in force
 * @param unchangedCycles cycles that confirmed the configuration in force
 * @param failedCycles cycles that failed
 * @param pulls full pulls, successful or not
 * @param pullTime the time the full pulls took, all together
 */
public record SyncTotals(long updatedCycles, long unchangedCycles, long failedCycles, long pulls, Duration pullTime) {

	/**
	 * Nothing done yet.
	 */
	public static final SyncTotals NONE = new SyncTotals(0, 0, 0, 0, Duration.ZERO);

	/**
	 * Return the number of cycles with the given outcome.
	 * @param outcome the outcome
	 * @return the number of cycles
	 */
	public long cycles(SyncOutcome outcome) {
		return switch (outcome) {
			case UPDATED -> this.updatedCycles;
			case UNCHANGED -> this.unchangedCycles;
			case FAILED -> this.failedCycles;
		};
	}

	SyncTotals withCycle(SyncOutcome outcome) {
		return new SyncTotals(this.updatedCycles + ((outcome == SyncOutcome.UPDATED) ? 1 : 0),
				this.unchangedCycles + ((outcome == SyncOutcome.UNCHANGED) ? 1 : 0),
				this.failedCycles + ((outcome == SyncOutcome.FAILED) ? 1 : 0), this.pulls, this.pullTime);
	}

	SyncTotals withPull(Duration duration) {
		return new SyncTotals(this.updatedCycles, this.unchangedCycles, this.failedCycles, this.pulls + 1,
				this.pullTime.plus(duration));
	}

}
