package io.agentkit.sync;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.agentkit.sync.cache.ConfigCacheException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the engine's configuration in force in the cache, through a {@link CacheWorker},
 * and says in the engine's status ({@code cacheError}) and log what goes wrong with it:
 * <ul>
 * <li>saves each pulled document, committing the write that started ahead of validation
 * or saving the document the ordinary way; a document whose write fails, has not ended
 * within its wait or was not started behind such a write is saved again by
 * {@link #retryUnsaved()}, which the engine calls at each cycle and as soon as the disk
 * answers again ({@link CacheWorker#whenAnsweringAgain(Runnable)}), unless the write
 * that had not ended puts it in the cache first;</li>
 * <li>reads the cache;</li>
 * <li>looks, at each unchanged poll, whether the cache file was lost since it was
 * written.</li>
 * </ul>
 * No thread waits for the disk longer than the wait it is given, and no write starts once
 * the engine has stopped: {@link #awaitWrites(Duration)} lets {@link ConfigSync#stop()} wait
 * for one under way. Used by the sync thread, and by the starting thread for the first
 * read; the worker's thread clears the errors of writes that end after their wait.
 */
final class CacheKeeper {

	// The engine's log: the category applications set the engine's levels with.
	private static final Log logger = LogFactory.getLog(ConfigSync.class);

	private final CacheWorker worker;

	private final Duration timeout;

	private final BooleanSupplier stopped;

	private final Supplier<SyncStatus> status;

	private final Consumer<UnaryOperator<SyncStatus>> statusUpdates;

	/**
	 * Held while a document is written, so that {@link #awaitWrites(Duration)} waits for a
	 * write in progress and none starts after the engine has stopped.
	 */
	private final ReentrantLock persistLock = new ReentrantLock();

	/**
	 * The document in force that the cache does not hold yet (its write failed, or has not
	 * ended), or {@code null}. Set by the sync thread; cleared by it, or by the worker's
	 * thread when a write that had not ended puts the document in the cache after all.
	 */
	private final AtomicReference<@Nullable ConfigDocument> unsavedDocument = new AtomicReference<>();

	/**
	 * The {@code cacheError} of a look at the cache file that has not ended, until a
	 * later look ends. Only the sync thread uses it.
	 */
	private @Nullable String lookError;

	/**
	 * Create a keeper.
	 * @param worker the thread the cache is read and written on
	 * @param timeout the longest a read, a look, or a write outside the start is waited
	 * for ({@code agentkit.sync.timeout})
	 * @param stopped whether the engine has stopped
	 * @param status the engine's status
	 * @param statusUpdates applies a change to the engine's status
	 */
	CacheKeeper(CacheWorker worker, Duration timeout, BooleanSupplier stopped, Supplier<SyncStatus> status,
			Consumer<UnaryOperator<SyncStatus>> statusUpdates) {
		this.worker = worker;
		this.timeout = timeout;
		this.stopped = stopped;
		this.status = status;
		this.statusUpdates = statusUpdates;
	}

	/**
	 * Return the wait for a cache read or write bounded by {@code agentkit.sync.timeout}.
	 * @return the wait
	 */
	Wait timeoutWait() {
		return new Wait(this.timeout, CacheWorker.TIMEOUT_SETTING);
	}

	/**
	 * Return a write for the next pull, which starts when it is given the body.
	 * @return the write, not started
	 */
	CacheWorker.Write newWrite() {
		return this.worker.newWrite();
	}

	/**
	 * Save a pulled, validated document: commit the pull's write if it holds the document,
	 * or save it the ordinary way, waiting at most the given wait. A write that fails or has
	 * not ended is said in {@code cacheError}, and the document is saved again later.
	 * @param document the validated document
	 * @param write the pull's write, started with the body
	 * @param wait how long to wait for the write
	 * @return {@code false} when the engine has stopped, and nothing was written
	 */
	boolean savePulled(ConfigDocument document, CacheWorker.Write write, Wait wait) {
		return persistUnlessStopped(document, wait, () -> {
			CacheWorker.Outcome written = write.commit(document, wait.duration());
			// A write ahead that stop() cut short is not made again: no write starts after stop().
			if (written == CacheWorker.Outcome.NOT_COMMITTED && !this.stopped.getAsBoolean()) {
				written = this.worker.save(document, wait.duration());
			}
			return written;
		});
	}

	/**
	 * Save again the document in force that the cache does not hold yet, unless a write
	 * has not ended: that one is waited for, not joined by another. The unsaved document is
	 * always the configuration in force: a pull saves before it publishes, and a later
	 * pull replaces (or clears) it.
	 */
	void retryUnsaved() {
		ConfigDocument unsaved = this.unsavedDocument.get();
		if (unsaved != null && !this.worker.isBusy()) {
			Wait wait = timeoutWait();
			persistUnlessStopped(unsaved, wait, () -> this.worker.save(unsaved, wait.duration()));
		}
	}

	/**
	 * Read the cache. A failure is said in {@code cacheError} (and logged once for the
	 * same error); a read after failures says the cache is read again.
	 * @return the cached document, or empty when there is none or it cannot be read
	 */
	Optional<ConfigDocument> read() {
		Optional<ConfigDocument> cached;
		String failedBefore = this.status.get().cacheError();
		try {
			cached = this.worker.load(this.timeout);
		}
		catch (RuntimeException ex) {
			// A cache exception says all there is to say; another may come from an application's repository.
			String message = (ex instanceof ConfigCacheException) ? ex.getMessage()
					: "Could not read the configuration cache: " + ex;
			String error = LogWords.errorMessage(message);
			if (error.equals(failedBefore)) {
				logger.debug(message);
			}
			else {
				logger.warn(message);
			}
			this.statusUpdates.accept((current) -> current.withCacheError(error));
			return Optional.empty();
		}
		if (failedBefore != null && cached.isPresent()) {
			// An empty cache leaves the error: it says why nothing is in force (a damaged file set aside).
			logger.info("The configuration cache is read again");
			this.statusUpdates.accept((current) -> current.withCacheError(null));
		}
		return cached;
	}

	/**
	 * Look whether the cache file was lost since it was written, on the worker's thread:
	 * a look that has not ended within the timeout (a network file system that does not
	 * answer a {@code stat}) holds no poll; {@code cacheError} says so until a later look
	 * ends, and until then no poll looks again. No look is made while a document is
	 * unsaved: it is saved again anyway.
	 * @return whether the cache is to be written again
	 */
	boolean isLost() {
		if (this.unsavedDocument.get() != null) {
			return false;
		}
		try {
			CacheWorker.Look look = this.worker.look(this.timeout);
			String error = this.lookError;
			if (look != CacheWorker.Look.NOT_MADE && error != null) {
				this.lookError = null;
				if (error.equals(this.status.get().cacheError())) {
					logger.info("The configuration cache file answers again");
					clearCacheError(error);
				}
			}
			return look == CacheWorker.Look.LOST;
		}
		catch (ConfigCacheException ex) {
			String error = LogWords.errorMessage(ex.getMessage());
			this.lookError = error;
			sayCacheError(error, "the configuration in force stays, and the cache file is looked at again at the next "
					+ "poll once it answers");
			return false;
		}
	}

	/**
	 * Wait for a document being written when the engine stopped to be written (none is
	 * after), but not longer than the given time.
	 * @param timeout how long to wait
	 * @return {@code false} when it had not been written by then
	 */
	boolean awaitWrites(Duration timeout) {
		try {
			if (this.persistLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				this.persistLock.unlock();
				return true;
			}
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
	}

	/**
	 * Stop the worker's thread.
	 * @param timeout how long to wait for a read or write in progress to end
	 * @return {@code false} when one in progress had not ended by then
	 */
	boolean stop(Duration timeout) {
		return this.worker.stop(timeout);
	}

	/**
	 * Persist a document under the persist lock, unless the engine has stopped.
	 * @return {@code false} when the engine has stopped, and nothing was done
	 */
	private boolean persistUnlessStopped(ConfigDocument document, Wait wait, Supplier<CacheWorker.Outcome> write) {
		this.persistLock.lock();
		try {
			if (this.stopped.getAsBoolean()) {
				return false;
			}
			persist(document, wait, write);
			return true;
		}
		finally {
			this.persistLock.unlock();
		}
	}

	/**
	 * Write a document and say how it went. A write that has not ended within its wait,
	 * or was not started as an earlier one has not ended, leaves the document unsaved
	 * like a failed one: the configuration is put in force without it, and saved again
	 * once the disk answers (a write that goes on may save it first).
	 */
	private void persist(ConfigDocument document, Wait wait, Supplier<CacheWorker.Outcome> write) {
		CacheWorker.Outcome written;
		try {
			written = write.get();
		}
		catch (RuntimeException ex) {
			notSaved(document, LogWords.errorMessage(ex.getMessage()));
			return;
		}
		if (written == CacheWorker.Outcome.NOT_STARTED) {
			notSaved(document, LogWords.errorMessage(this.worker.notStartedMessage("The configuration cache write",
					"The configuration in force is written once it answers")));
		}
		else if (written == CacheWorker.Outcome.PENDING && !this.stopped.getAsBoolean()) {
			String error = LogWords.errorMessage(
					this.worker.notEndedMessage("The configuration cache write", wait.duration(), wait.setting()));
			notSaved(document, error);
			// The write goes on, and may still put the document in the cache.
			this.worker.whenWritten(document, () -> writtenAfterAll(document, error));
		}
		else {
			this.unsavedDocument.set(null);
			if (this.status.get().cacheError() != null) {
				logger.info("The configuration cache is written again");
				this.statusUpdates.accept((current) -> current.withCacheError(null));
			}
		}
	}

	private void notSaved(ConfigDocument document, String error) {
		this.unsavedDocument.set(document);
		sayCacheError(error, "running on the server's data and retrying the cache at the next poll");
	}

	/**
	 * Take note that a write that had not ended when its wait did has put the document in
	 * the cache: unless a later pull or save has replaced it since, the document is saved
	 * and the error that the write had not ended goes.
	 */
	private void writtenAfterAll(ConfigDocument document, String error) {
		if (!this.unsavedDocument.compareAndSet(document, null)) {
			return;
		}
		logger.info("The configuration cache write has ended after all: version "
				+ LogText.of(document.snapshot().version()) + " is in the cache");
		clearCacheError(error);
	}

	/**
	 * Put a cache error in the status, warning of it unless it is the one already there.
	 * @param error the error, as the status shows it
	 * @param consequence what the engine does about it, after the error in the warning
	 */
	private void sayCacheError(String error, String consequence) {
		if (!error.equals(this.status.get().cacheError())) {
			logger.warn(error + "; " + consequence);
		}
		this.statusUpdates.accept((current) -> current.withCacheError(error));
	}

	/**
	 * Clear the given cache error from the status, unless another has replaced it.
	 */
	private void clearCacheError(String error) {
		this.statusUpdates.accept((current) -> error.equals(current.cacheError()) ? current.withCacheError(null)
				: current);
	}

	/**
	 * How long a thread waits for a cache read or write, and the setting that bounds it
	 * (as an error that the wait ended says).
	 *
	 * @param duration how long
	 * @param setting the setting, as the error names it
	 */
	record Wait(Duration duration, String setting) {

	}

}
