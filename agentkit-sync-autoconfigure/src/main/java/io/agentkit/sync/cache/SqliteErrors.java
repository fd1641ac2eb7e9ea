package io.agentkit.sync.cache;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import org.springframework.core.NestedExceptionUtils;

/**
 * What a failure of the SQLite driver says: its result codes, primary
 * ({@code SQLITE_IOERR}) or extended ({@code SQLITE_IOERR_SHORT_READ}), found along its
 * causes, and its words.
 */
final class SqliteErrors {

	/**
	 * The bits of a SQLite result code that hold its primary code ({@code SQLITE_IOERR}).
	 */
	private static final int PRIMARY_CODE = 0xFF;

	/**
	 * The bits of a SQLite result code that hold its extended code
	 * ({@code SQLITE_IOERR_SHORT_READ}).
	 */
	private static final int EXTENDED_CODE = 0xFFFF;

	private SqliteErrors() {
	}

	/**
	 * Return whether a failure has one of the given primary result codes.
	 * @param ex the failure
	 * @param codes the codes
	 * @return {@code true} when one of its causes has one of them
	 */
	static boolean hasPrimaryCode(RuntimeException ex, SQLiteErrorCode... codes) {
		return errorCode(ex, PRIMARY_CODE, codes) != null;
	}

	/**
	 * Return whether a failure has one of the given extended result codes.
	 * @param ex the failure
	 * @param codes the codes
	 * @return {@code true} when one of its causes has one of them
	 */
	static boolean hasExtendedCode(RuntimeException ex, SQLiteErrorCode... codes) {
		return errorCode(ex, EXTENDED_CODE, codes) != null;
	}

	/**
	 * Return what to say of a failure because another connection holds the file locked
	 * ({@code SQLITE_BUSY} once the busy timeout is over, or {@code SQLITE_LOCKED}), or
	 * {@code null} when it is another failure: SQLite's own words ("database is locked")
	 * say neither who holds it nor what happens next.
	 * @param ex the failure
	 * @return what to say, or {@code null}
	 */
	static @Nullable String locked(RuntimeException ex) {
		SQLiteErrorCode code = errorCode(ex, PRIMARY_CODE, SQLiteErrorCode.SQLITE_BUSY, SQLiteErrorCode.SQLITE_LOCKED);
		return (code != null) ? "the file is locked by another process or connection writing to it (" + code.name()
				+ "); it is tried again at the next cycle" : null;
	}

	/**
	 * Return the message of a failure's most specific cause, or its type's name when it
	 * has none.
	 * @param ex the failure
	 * @return the message
	 */
	static String rootMessage(Throwable ex) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	/**
	 * Return the first of the given result codes that a failure has, compared under the
	 * mask, or {@code null}.
	 */
	private static @Nullable SQLiteErrorCode errorCode(RuntimeException ex, int mask, SQLiteErrorCode... codes) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sqlException) {
				// The driver's own exception has the extended code; getErrorCode() the primary one.
				int code = ((sqlException instanceof SQLiteException sqlite) ? sqlite.getResultCode().code
						: sqlException.getErrorCode()) & mask;
				for (SQLiteErrorCode candidate : codes) {
					if (code == candidate.code) {
						return candidate;
					}
				}
			}
		}
		return null;
	}

}
