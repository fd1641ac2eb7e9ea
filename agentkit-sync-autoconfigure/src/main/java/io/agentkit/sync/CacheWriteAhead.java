package io.agentkit.sync;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.agentkit.sync.cache.ConfigCacheRepository;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes a pulled body to the cache on a thread of its own while the sync thread
 * validates it, and commits the write only when the sync thread confirms it with the
 * validated document: the cache's disk work (SQLite's journal and its sync) overlaps the
 * validation instead of following it. Nothing is committed for a body that turns out to be
 * invalid, for parts that differ from the validated document's, or after a discard; a
 * write that is not committed leaves the cache as it was, and the engine then saves the
 * document the ordinary way.
 */
final class CacheWriteAhead {

	private static final Log logger = LogFactory.getLog(CacheWriteAhead.class);

	private final ConfigCacheRepository cache;

	// Finds the parts only; they are committed only when equal to the validated document's.
	private final ConfigDocumentReader partsReader = new ConfigDocumentReader();

	private final ExecutorService writer;

	/**
	 * Create a write ahead for the given cache.
	 * @param cache the cache
	 * @param writer the single thread the writes run on, shut down by {@link #stop}
	 */
	CacheWriteAhead(ConfigCacheRepository cache, ExecutorService writer) {
		this.cache = cache;
		this.writer = writer;
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
	 * Stop the writer thread: a write waiting for its confirmation is rolled back.
	 * @param timeout how long to wait for a write in progress to end
	 */
	void stop(Duration timeout) {
		this.writer.shutdownNow();
		try {
			this.writer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * One pull's write: started with the body, then either {@link #commit committed} with
	 * the validated document or {@link #discard() discarded}.
	 */
	final class Write {

		private final CompletableFuture<@Nullable ConfigParts> confirmation = new CompletableFuture<>();

		private volatile @Nullable Future<Boolean> result;

		/**
		 * Start writing the parts of a pulled body, before it is validated.
		 * @param body the body as received
		 */
		void start(byte[] body) {
			try {
				this.result = CacheWriteAhead.this.writer.submit(() -> write(body));
			}
			catch (RejectedExecutionException ex) {
				// Stopped: the document is saved the ordinary way, or not at all.
			}
		}

		private boolean write(byte[] body) {
			ConfigParts parts = CacheWriteAhead.this.partsReader.scanAll(body);
			return CacheWriteAhead.this.cache.saveIfConfirmed(parts, () -> parts.equals(awaitConfirmation()));
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
		 * it to end.
		 * @param document the validated document
		 * @return {@code true} when the document is committed to the cache; {@code false}
		 * when it is not (never started, invalid parts, a failed write, or interrupted), so
		 * it is to be saved the ordinary way
		 */
		boolean commit(ConfigDocument document) {
			Future<Boolean> written = this.result;
			this.confirmation.complete(document.parts());
			if (written == null) {
				return false;
			}
			try {
				return written.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			catch (ExecutionException ex) {
				if (logger.isDebugEnabled()) {
					logger.debug("The cache write ahead of validation failed; saving the document again: "
							+ ex.getCause());
				}
				return false;
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
