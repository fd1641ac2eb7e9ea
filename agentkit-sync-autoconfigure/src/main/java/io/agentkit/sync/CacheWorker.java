package io.agentkit.sync;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.agentkit.sync.cache.ConfigCacheException;
import io.agentkit.sync.cache.ConfigCacheRepository;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs the engine's cache reads and writes on a thread of their own, one after the other,
 * so that the threads that ask for them wait for the disk at most a timeout: a disk or
 * network file system that does not answer leaves its read or write going on in the
 * background, without holding back the configuration or the application's start, and
 * later ones follow it in order.
 * <p>
 * A pulled body is written while the sync thread validates it, and the write is committed
 * only when the sync thread confirms it with the validated document: the cache's disk
 * work (SQLite's journal and its sync) overlaps the validation instead of following it.
 * Nothing is committed for a body that turns out to be invalid, for parts that differ
 * from the validated document's, or after a discard; a write that is not committed leaves
 * the cache as it was, and the engine then {@link #save saves} the document the ordinary
 * way.
 */
final class CacheWorker {

	/**
	 * How a write went, as far as its caller waited.
	 */
	enum Outcome {

		/**
		 * The document is in the cache.
		 */
		WRITTEN,

		/**
		 * Nothing was committed: the document is to be saved the ordinary way.
		 */
		NOT_COMMITTED,

		/**
		 * The write has not ended within the timeout; it goes on.
		 */
		PENDING,

		/**
		 * The write was not started, as a read or write before it has outlasted its wait
		 * and not ended yet (a disk that does not answer): the document is to be saved
		 * once the disk answers (see {@link CacheWorker#whenAnsweringAgain(Runnable)}).
		 * Writes are not queued behind one that does not end, so that each pull neither
		 * waits for them nor leaves its body in the queue.
		 */
		NOT_STARTED

	}

	/**
	 * What a look at the cache file found.
	 */
	enum Look {

		/**
		 * The file is gone, or holds no cache any more: the configuration in force is to
		 * be written again.
		 */
		LOST,

		/**
		 * The file holds the cache.
		 */
		KEPT,

		/**
		 * No look was made: a read, write or look before it has not ended, or the worker
		 * has stopped.
		 */
		NOT_MADE

	}

	/**
	 * The setting that bounds the waits for the cache, as the errors name it.
	 */
	static final String TIMEOUT_SETTING = "agentkit.sync.timeout";

	private static final Log logger = LogFactory.getLog(CacheWorker.class);

	private final ConfigCacheRepository cache;

	// Finds the parts only; they are committed only when equal to the validated document's.
	private final ConfigDocumentReader partsReader = new ConfigDocumentReader();

	private final ExecutorService thread;

	/**
	 * The last read or write handed to the thread, or {@code null}.
	 */
	private volatile @Nullable Future<?> lastTask;

	/**
	 * The last read or write whose wait ended before it did, or {@code null}: while it
	 * goes on, the disk is taken not to answer.
	 */
	private volatile @Nullable Future<?> overdueTask;

	/**
	 * The parts the last write handed to the thread put in the cache, once it has ended,
	 * or {@code null} when it put none there (it failed, or was not committed).
	 */
	private volatile CompletableFuture<@Nullable ConfigParts> lastWrite = CompletableFuture.completedFuture(null);

	/**
	 * Run when a read or write that outlasted its wait ends: the disk answers again.
	 */
	private volatile Runnable answeringAgain = () -> {
	};

	/**
	 * Create a worker for the given cache.
	 * @param cache the cache
	 * @param thread the single thread the reads and writes run on, shut down by
	 * {@link #stop}
	 */
	CacheWorker(ConfigCacheRepository cache, ExecutorService thread) {
		this.cache = cache;
		this.thread = thread;
	}

	/**
	 * Set what runs once a read or write that outlasted its wait ends, so that what was not
	 * started meanwhile is done as soon as the disk answers, not at the next cycle. It runs
	 * on the worker's thread (or on a thread that found the task ended as its wait did),
	 * possibly more than once for one task, and must only hand the work on.
	 * @param action the action
	 */
	void whenAnsweringAgain(Runnable action) {
		this.answeringAgain = action;
	}

	/**
	 * Return a write for the next pull; it starts when {@link Write#start(byte[])} is given
	 * the body.
	 * @return the write, not started
	 */
	Write newWrite() {
		return new Write();
	}

	/**
	 * Save a document on the thread, after the reads and writes before it, and wait for it at
	 * most the given time.
	 * @param document the document
	 * @param timeout how long to wait
	 * @return {@link Outcome#WRITTEN}; {@link Outcome#PENDING} when the save has not
	 * ended in time (it goes on) or the thread has stopped; {@link Outcome#NOT_STARTED}
	 * when a read or write before it has outlasted its wait and not ended yet
	 * @throws RuntimeException what the save threw
	 */
	Outcome save(ConfigDocument document, Duration timeout) {
		if (isStuck()) {
			return Outcome.NOT_STARTED;
		}
		try {
			ConfigParts saved = await(submitWrite(() -> {
				this.cache.save(document);
				return document.parts();
			}), timeout);
			return (saved != null) ? Outcome.WRITTEN : Outcome.PENDING;
		}
		catch (RejectedExecutionException | TimeoutException ex) {
			return Outcome.PENDING;
		}
	}

	/**
	 * Do something once the last write handed to the thread has put the given document
	 * in the cache: at once when it has already, on the cache thread when it does, and
	 * never when it puts another document there or none (it fails, is not committed, or is
	 * dropped as the worker stops).
	 * @param document the document
	 * @param action what to do
	 */
	void whenWritten(ConfigDocument document, Runnable action) {
		this.lastWrite.thenAccept((written) -> {
			if (document.parts().equals(written)) {
				action.run();
			}
		});
	}

	/**
	 * Load the cache on the thread, after the reads and writes before it, and wait for it at
	 * most the given time.
	 * @param timeout how long to wait
	 * @return the cached document, or empty when there is none or the worker has stopped
	 * @throws RuntimeException what the load threw, or a {@link ConfigCacheException}
	 * when it has not ended in time (it goes on) or was not started, as a read or write
	 * before it has outlasted its wait and not ended yet
	 */
	Optional<ConfigDocument> load(Duration timeout) {
		if (isStuck()) {
			throw new ConfigCacheException(
					notStartedMessage("Reading the configuration cache", "It is read once the disk answers"));
		}
		try {
			Optional<ConfigDocument> loaded = call(this.cache::load, timeout);
			return (loaded != null) ? loaded : Optional.empty();
		}
		catch (TimeoutException ex) {
			throw notEnded("Reading the configuration cache", timeout);
		}
	}

	/**
	 * Look on the thread whether the cache was lost since it was written
	 * ({@link ConfigCacheRepository#isLost()}), after the reads and writes before it, and
	 * wait for the look at most the given time. No look is made while a read or write (or
	 * an earlier look) has not ended: the file is looked at again once the disk answers.
	 * @param timeout how long to wait
	 * @return what the look found
	 * @throws ConfigCacheException when the look has not ended in time (it goes on)
	 * @throws RuntimeException what the look threw
	 */
	Look look(Duration timeout) {
		if (isBusy()) {
			return Look.NOT_MADE;
		}
		try {
			Boolean lost = call(this.cache::isLost, timeout);
			return (lost == null) ? Look.NOT_MADE : lost ? Look.LOST : Look.KEPT;
		}
		catch (TimeoutException ex) {
			throw notEnded("Looking at the configuration cache file", timeout);
		}
	}

	/**
	 * Run a read or a look on the thread, after the reads and writes before it, and wait
	 * for it at most the given time.
	 * @return what it returned, or {@code null} when the thread has stopped or the wait
	 * was interrupted
	 * @throws TimeoutException when it has not ended in time (it goes on)
	 * @throws RuntimeException what it threw
	 */
	private <T> @Nullable T call(Callable<T> task, Duration timeout) throws TimeoutException {
		Future<T> result;
		try {
			result = submit(task);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
		return await(result, timeout);
	}

	/**
	 * Wait for a read or write handed to the thread at most the given time.
	 * @return what it returned, or {@code null} when the wait was interrupted
	 * @throws TimeoutException when it has not ended in time (it goes on)
	 * @throws RuntimeException what it threw
	 */
	private <T> @Nullable T await(Future<T> result, Duration timeout) throws TimeoutException {
		try {
			return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			this.overdueTask = result;
			if (result.isDone()) {
				// It ended between the wait and the line above, too early to be told it was overdue.
				this.answeringAgain.run();
			}
			throw ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException("The cache read or write failed", ex.getCause());
		}
	}

	/**
	 * Return the failure of a read or write of the cache that has not ended in time.
	 * @param what the read or write, as the subject of the sentence
	 * @param timeout how long it was waited for
	 * @return the failure, naming the cache
	 */
	private ConfigCacheException notEnded(String what, Duration timeout) {
		return new ConfigCacheException(notEndedMessage(what, timeout, TIMEOUT_SETTING));
	}

	/**
	 * Say that a read or write of the cache has not ended in time.
	 * @param what the read or write, as the subject of the sentence
	 * @param timeout how long it was waited for
	 * @param bound the setting that bounded the wait, as the message names it
	 * @return the message, naming the cache
	 */
	String notEndedMessage(String what, Duration timeout, String bound) {
		return what + " has not ended within " + timeout.toMillis() + " ms (" + bound
				+ "): the disk or network file system of " + this.cache + " does not answer. It goes on in the "
				+ "background";
	}

	/**
	 * Say that a read or write of the cache was not started, as one before it has not
	 * ended.
	 * @param what the read or write, as the subject of the sentence
	 * @param then what is done once the disk answers
	 * @return the message, naming the cache
	 */
	String notStartedMessage(String what, String then) {
		return what + " was not started, as an earlier read or write of the cache has not ended: the disk or network "
				+ "file system of " + this.cache + " does not answer. " + then;
	}

	/**
	 * Return whether a read or write handed to the thread has not ended yet.
	 * @return {@code true} while one goes on
	 */
	boolean isBusy() {
		Future<?> last = this.lastTask;
		return last != null && !last.isDone();
	}

	/**
	 * Return whether a read or write goes on that its caller stopped waiting for, as the
	 * disk does not answer: reads and writes are then not queued behind it, so that no
	 * caller waits for them and no pulled body is left in the queue. A read or write
	 * merely in progress (the start's fallback read beside a first pull that runs late)
	 * is queued behind as usual.
	 * @return {@code true} while one goes on
	 */
	private boolean isStuck() {
		Future<?> overdue = this.overdueTask;
		return overdue != null && !overdue.isDone();
	}

	private <T> Future<T> submit(Callable<T> task) {
		FutureTask<T> submitted = new FutureTask<>(task) {

			@Override
			protected void done() {
				if (CacheWorker.this.overdueTask == this) {
					CacheWorker.this.answeringAgain.run();
				}
			}

		};
		this.thread.execute(submitted);
		this.lastTask = submitted;
		return submitted;
	}

	/**
	 * Hand a write to the thread, as the {@link #lastWrite}.
	 * @param write the write, which returns the parts it put in the cache, or
	 * {@code null} for none
	 * @return the write's result
	 * @throws RejectedExecutionException when the thread has stopped
	 */
	private Future<@Nullable ConfigParts> submitWrite(Callable<@Nullable ConfigParts> write) {
		CompletableFuture<@Nullable ConfigParts> ended = new CompletableFuture<>();
		Future<@Nullable ConfigParts> submitted = submit(() -> {
			ConfigParts written = null;
			try {
				written = write.call();
				return written;
			}
			finally {
				ended.complete(written);
			}
		});
		this.lastWrite = ended;
		return submitted;
	}

	/**
	 * Stop the thread: a write waiting for its confirmation is rolled back, and the reads
	 * and writes waiting their turn are dropped.
	 * @param timeout how long to wait for a read or write in progress to end
	 * @return {@code false} when one in progress had not ended by then (a disk that does
	 * not answer)
	 */
	boolean stop(Duration timeout) {
		this.thread.shutdownNow();
		try {
			return this.thread.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
	}

	/**
	 * One pull's write: started with the body, then either {@link #commit committed} with
	 * the validated document or {@link #discard() discarded}.
	 */
	final class Write {

		private final CompletableFuture<@Nullable ConfigParts> confirmation = new CompletableFuture<>();

		private volatile @Nullable Future<@Nullable ConfigParts> result;

		/**
		 * Start writing the parts of a pulled body, before it is validated, unless a read
		 * or write before it has outlasted its wait and not ended yet.
		 * @param body the body as received
		 */
		void start(byte[] body) {
			if (isStuck()) {
				return;
			}
			try {
				this.result = submitWrite(() -> write(body));
			}
			catch (RejectedExecutionException ex) {
				// Stopped: the document is saved the ordinary way, or not at all.
			}
		}

		private @Nullable ConfigParts write(byte[] body) {
			ConfigParts parts = CacheWorker.this.partsReader.scanAll(body);
			return CacheWorker.this.cache.saveIfConfirmed(parts, () -> parts.equals(awaitConfirmation())) ? parts
					: null;
		}

		private @Nullable ConfigParts awaitConfirmation() {
			try {
				return this.confirmation.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			catch (ExecutionException ex) {
				return null;
			}
		}

		/**
		 * Commit the write if it holds the given validated document's parts, and wait for
		 * it to end, at most the given time.
		 * @param document the validated document
		 * @param timeout how long to wait
		 * @return {@link Outcome#WRITTEN} when the document is committed to the cache;
		 * {@link Outcome#NOT_COMMITTED} when it is not (never started, invalid parts, a
		 * failed write, or interrupted), so it is to be saved the ordinary way;
		 * {@link Outcome#PENDING} when the write has not ended in time (it goes on, and
		 * commits the document when it does)
		 */
		Outcome commit(ConfigDocument document, Duration timeout) {
			Future<@Nullable ConfigParts> written = this.result;
			this.confirmation.complete(document.parts());
			if (written == null) {
				return Outcome.NOT_COMMITTED;
			}
			try {
				return (written.get(timeout.toNanos(), TimeUnit.NANOSECONDS) != null) ? Outcome.WRITTEN
						: Outcome.NOT_COMMITTED;
			}
			catch (TimeoutException ex) {
				CacheWorker.this.overdueTask = written;
				return Outcome.PENDING;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return Outcome.NOT_COMMITTED;
			}
			catch (ExecutionException ex) {
				if (logger.isDebugEnabled()) {
					logger.debug("The cache write ahead of validation failed; saving the document again: "
							+ ex.getCause());
				}
				return Outcome.NOT_COMMITTED;
			}
		}

		/**
		 * Roll the write back unless it was confirmed already. Does not wait.
		 */
		void discard() {
			this.confirmation.complete(null);
		}

	}

}
