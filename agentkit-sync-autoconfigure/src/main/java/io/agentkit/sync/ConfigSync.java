package io.agentkit.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.agentkit.sync.cache.ConfigCacheRepository;
import io.agentkit.sync.client.ConfigServerClient;
import io.agentkit.sync.client.ConfigServerException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Keeps an application's AgentKit configuration in sync with an AgentKit server.
 * <p>
 * {@link #start()} pulls the whole configuration (waiting at most the startup timeout),
 * and falls back to the SQLite cache when the server cannot give it; {@link #pollIfDue()}
 * checks the server's version when a check is due and pulls everything again when it
 * changed. Every answer is validated before it replaces anything; a failure changes
 * nothing in memory or on disk and is retried with back-off.
 * <p>
 * The read methods are safe from any thread and never block: the configuration in force
 * is one immutable {@link ConfigSnapshot} behind a {@code volatile} reference, replaced
 * whole, so a reader never sees a version with another version's skills. Sync cycles run
 * one at a time on a thread of their own; a request for a cycle while one runs joins it.
 */
public class ConfigSync implements InitializingBean, DisposableBean {

	/**
	 * A cycle that runs this long is reported as stuck, with what its thread is doing:
	 * far longer than a cycle's two requests take even with a timeout of minutes.
	 */
	static final Duration STUCK_CYCLE = Duration.ofMinutes(10);

	/**
	 * The delay before the next check after a cycle failed outside its own error handling.
	 */
	static final Duration AFTER_UNEXPECTED_FAILURE = Duration.ofMinutes(1);

	/**
	 * A first pull stops waiting for its cache write this long (at most a tenth of the
	 * startup timeout) before the start stops waiting for the pull, so that by then it has
	 * put its configuration in force.
	 */
	private static final Duration START_MARGIN = Duration.ofMillis(100);

	private static final Log logger = LogFactory.getLog(ConfigSync.class);

	private final ConfigServerClient client;

	private final ConfigCacheRepository cache;

	private final ConfigSyncSettings settings;

	private final PollSchedule schedule;

	private final Clock clock;

	private final JsonMapper jsonMapper;

	private final Consumer<Object> eventPublisher;

	private final List<ConfigSyncListener> listeners = new CopyOnWriteArrayList<>();

	private final ExecutorService worker;

	private final CacheKeeper cacheKeeper;

	private final Object lock = new Object();

	/**
	 * The cycle running on the worker, or {@code null}.
	 */
	private volatile @Nullable RunningCycle runningCycle;

	/**
	 * When, by the clock, the next check was scheduled: a clock that reads earlier went back.
	 */
	private volatile @Nullable Instant checkScheduledAt;

	private volatile State state;

	private final AtomicReference<SyncTotals> totals = new AtomicReference<>(SyncTotals.NONE);

	private volatile boolean started;

	private volatile boolean stopped;

	/**
	 * While {@link #start()} waits for the first pull, when it stops waiting
	 * ({@link System#nanoTime()}); otherwise {@code null}.
	 */
	private volatile @Nullable Long startDeadline;

	private @Nullable CompletableFuture<SyncResult> inFlight;

	/**
	 * Whether the cycle in flight pulls whatever the version says.
	 */
	private boolean inFlightForced;

	/**
	 * What the server's versions have said about it. Only the sync thread uses it.
	 */
	private final ServerVersionWarnings versionWarnings = new ServerVersionWarnings();

	/**
	 * The error of the last failed cycle, as logged. Only the sync thread reads and writes
	 * it.
	 */
	private @Nullable String lastFailureLogged;

	/**
	 * Create an engine. Nothing happens until {@link #start()}.
	 * @param client the AgentKit server client
	 * @param cache the cache repository
	 * @param settings how to run
	 * @param schedule when checks are due
	 * @param clock the clock for freshness and scheduling
	 * @param jsonMapper the mapper for typed binding
	 * @param eventPublisher receives a {@link ConfigChangedEvent} whenever a
	 * configuration comes into force
	 */
	public ConfigSync(ConfigServerClient client, ConfigCacheRepository cache, ConfigSyncSettings settings,
			PollSchedule schedule, Clock clock, JsonMapper jsonMapper, Consumer<Object> eventPublisher) {
		this.client = client;
		this.cache = cache;
		this.settings = settings;
		this.schedule = schedule;
		this.clock = clock;
		this.jsonMapper = jsonMapper;
		this.eventPublisher = eventPublisher;
		this.state = new State(null, new TypedBindings(jsonMapper), SyncStatus.INITIAL);
		this.worker = singleDaemonThread("agentkit-sync");
		CacheWorker cacheWorker = new CacheWorker(cache, singleDaemonThread("agentkit-sync-cache"));
		cacheWorker.whenAnsweringAgain(this::catchUpWithTheCache);
		this.cacheKeeper = new CacheKeeper(cacheWorker, cacheTimeout(), () -> this.stopped, () -> this.state.status(),
				this::updateStatus);
	}

	private static ExecutorService singleDaemonThread(String name) {
		return Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	// Read API: lock-free, never blocking.

	/**
	 * Return the configuration in force.
	 * @return the snapshot, or empty when none is in force
	 */
	public Optional<ConfigSnapshot> getSnapshot() {
		return Optional.ofNullable(this.state.snapshot());
	}

	/**
	 * Return the version in force.
	 * @return the version, or {@code null} when no configuration is in force
	 */
	public @Nullable String getVersion() {
		ConfigSnapshot snapshot = this.state.snapshot();
		return (snapshot != null) ? snapshot.version() : null;
	}

	/**
	 * Return all skills, in server order.
	 * @return the skills (empty when no configuration is in force)
	 */
	public List<Map<String, @Nullable Object>> getSkills() {
		ConfigSnapshot snapshot = this.state.snapshot();
		return (snapshot != null) ? snapshot.skills() : List.of();
	}

	/**
	 * Return all workflows, in server order.
	 * @return the workflows (empty when no configuration is in force)
	 */
	public List<Map<String, @Nullable Object>> getWorkflows() {
		ConfigSnapshot snapshot = this.state.snapshot();
		return (snapshot != null) ? snapshot.workflows() : List.of();
	}

	/**
	 * Return one skill by name.
	 * @param name the skill name
	 * @return the skill, or empty
	 */
	public Optional<Map<String, @Nullable Object>> getSkill(String name) {
		ConfigSnapshot snapshot = this.state.snapshot();
		return (snapshot != null) ? snapshot.skill(name) : Optional.empty();
	}

	/**
	 * Return one workflow by id.
	 * @param workflowId the workflow id
	 * @return the workflow, or empty
	 */
	public Optional<Map<String, @Nullable Object>> getWorkflow(String workflowId) {
		ConfigSnapshot snapshot = this.state.snapshot();
		return (snapshot != null) ? snapshot.workflow(workflowId) : Optional.empty();
	}

	/**
	 * Return one skill bound to the given type. Unknown fields are ignored; the binding is
	 * made once per configuration and reused.
	 * @param <T> the type
	 * @param name the skill name
	 * @param type the type to bind to
	 * @return the bound skill, or empty when there is no such skill
	 * @throws ConfigBindingException when the skill does not fit the type
	 */
	public <T> Optional<T> getSkill(String name, Class<T> type) {
		State current = this.state;
		return (current.snapshot() != null) ? current.snapshot()
			.skill(name)
			.map((skill) -> current.bindings().bind("skill", name, skill, type)) : Optional.empty();
	}

	/**
	 * Return one workflow bound to the given type. Unknown fields are ignored; the binding
	 * is made once per configuration and reused.
	 * @param <T> the type
	 * @param workflowId the workflow id
	 * @param type the type to bind to
	 * @return the bound workflow, or empty when there is no such workflow
	 * @throws ConfigBindingException when the workflow does not fit the type
	 */
	public <T> Optional<T> getWorkflow(String workflowId, Class<T> type) {
		State current = this.state;
		return (current.snapshot() != null) ? current.snapshot()
			.workflow(workflowId)
			.map((workflow) -> current.bindings().bind("workflow", workflowId, workflow, type)) : Optional.empty();
	}

	/**
	 * Return how the sync is doing.
	 * @return the status
	 */
	public SyncStatus getStatus() {
		return this.state.status();
	}

	/**
	 * Return what this engine has done since it was made: its cycles by outcome and its full
	 * pulls, the startup cycle included.
	 * @return the totals
	 */
	public SyncTotals getTotals() {
		return this.totals.get();
	}

	/**
	 * Return the settings this engine runs with.
	 * @return the settings
	 */
	public ConfigSyncSettings getSettings() {
		return this.settings;
	}

	/**
	 * Add a listener told about each cycle and pull.
	 * @param listener the listener
	 */
	public void addListener(ConfigSyncListener listener) {
		this.listeners.add(listener);
	}

	// Lifecycle

	@Override
	public void afterPropertiesSet() {
		start();
	}

	@Override
	public void destroy() {
		stop();
	}

	/**
	 * Put a configuration in force, as the startup mode says: from the server (waiting at
	 * most the startup timeout, then from the cache) or from the cache at once with a pull
	 * in the background. Calling it again does nothing.
	 * @throws ConfigSyncStartupException in fail-fast mode, when no configuration could be
	 * put in force
	 */
	public void start() {
		synchronized (this.lock) {
			if (this.started || this.stopped) {
				return;
			}
			this.started = true;
		}
		logger.info("Syncing the AgentKit configuration from " + this.client + " into " + this.cache
				+ ", checking every " + LogWords.duration(this.settings.pollInterval()));
		if (this.settings.startupMode() == StartupMode.CACHE_FIRST) {
			loadCache();
		}
		long firstPullDeadline = System.nanoTime() + this.settings.startupTimeout().toNanos();
		this.startDeadline = firstPullDeadline;
		try {
			CompletableFuture<SyncResult> first = requestCycle(false);
			if (this.state.snapshot() == null) {
				prepareCache();
				if (!awaitFirstPull(first, firstPullDeadline)) {
					return;
				}
			}
		}
		finally {
			this.startDeadline = null;
		}
		if (this.state.snapshot() == null) {
			loadCache();
		}
		if (this.state.snapshot() == null) {
			SyncStatus status = this.state.status();
			String serverFailure = (status.lastError() != null) ? "the server failed (" + status.lastError() + ")"
					: "the server did not answer within " + this.settings.startupTimeout().toMillis() + " ms";
			String cacheFailure = (status.cacheError() != null)
					? "the cache could not be used (" + status.cacheError() + ")" : "the cache holds none";
			String reason = serverFailure + " and " + cacheFailure;
			if (this.settings.failFast()) {
				stop();
				throw new ConfigSyncStartupException("no AgentKit configuration is in force: " + reason);
			}
			logger.warn("Starting with no AgentKit configuration in force: " + reason + "; retrying the server"
					+ ((status.cacheError() != null) ? " and the cache" : "") + " with back-off");
		}
	}

	/**
	 * Let the cache get ready while the first pull runs on the sync thread: the pull's save
	 * or the fallback's load then starts with its driver loaded.
	 */
	private void prepareCache() {
		try {
			this.cache.prepare();
		}
		catch (RuntimeException ex) {
			logger.debug("The cache could not get ready; its first load or save will say why", ex);
		}
	}

	/**
	 * Wait for the first pull, at most until the deadline, and not once the JVM begins to
	 * shut down: a process told to stop (by {@code SIGTERM}, say) while its server hangs
	 * would otherwise wait out the startup timeout first, as the application context
	 * cannot close before its refresh, which this wait is part of, ends.
	 * @return {@code false} when the JVM is shutting down, so the start need not go on
	 */
	private boolean awaitFirstPull(CompletableFuture<SyncResult> first, long deadline) {
		CompletableFuture<Void> shutdown = new CompletableFuture<>();
		Thread shutdownHook = new Thread(() -> shutdown.complete(null), "agentkit-sync-startup-shutdown");
		try {
			Runtime.getRuntime().addShutdownHook(shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down already.
			shutdown.complete(null);
		}
		try {
			CompletableFuture.anyOf(first, shutdown).get(untilDeadline(deadline), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("The first pull is still running after " + this.settings.startupTimeout().toMillis()
					+ " ms (agentkit.sync.startup-timeout); reading the cache while it goes on in the background");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("The first pull failed unexpectedly", ex.getCause());
		}
		finally {
			removeShutdownHook(shutdownHook);
		}
		if (shutdown.isDone() && !first.isDone()) {
			logger.info("The JVM is shutting down; not waiting for the first pull");
			return false;
		}
		return true;
	}

	private static void removeShutdownHook(Thread shutdownHook) {
		try {
			Runtime.getRuntime().removeShutdownHook(shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down: its hooks run, this one too, and are not kept.
		}
	}

	private void loadCache() {
		this.cacheKeeper.read().ifPresent((document) -> {
			Instant cachedAt = document.cachedAt();
			if (publish(document.snapshot(), ConfigSource.CACHE, cachedAt, true)) {
				Instant now = this.clock.instant();
				logger.info("Loaded configuration version " + LogText.of(document.snapshot().version())
						+ " from the cache (" + LogWords.items(document.snapshot()) + ", cached at "
						+ ((cachedAt != null) ? cachedAt + LogWords.ago(Duration.between(cachedAt, now))
								: "a time unknown")
						+ ")");
				String unknownAge = whyTheAgeIsUnknown(cachedAt, now);
				if (unknownAge != null) {
					logger.warn("The configuration cache " + unknownAge + ". Its age is unknown, so health reports it "
							+ "stale until the server confirms a configuration");
				}
			}
		});
	}

	/**
	 * Return why the age of a cached configuration is unknown, or {@code null} when it is
	 * known: the cache does not say when it was written, or says a time later than now.
	 */
	private @Nullable String whyTheAgeIsUnknown(@Nullable Instant cachedAt, Instant now) {
		if (cachedAt == null) {
			return "does not say when it was written in a form this client reads (its updated_at is not an "
					+ "ISO-8601 time)";
		}
		if (this.state.status().isLaterThan(now)) {
			return "says it was written at " + cachedAt + ", later than now (" + now + "): the clock of this "
					+ "machine, or of the one that wrote the cache, is wrong";
		}
		return null;
	}

	/**
	 * Stop polling, cancel a cycle in flight and wait (at most the shutdown timeout) for
	 * it to end. No cache write starts after this method is called. Calling it again does
	 * nothing.
	 */
	public void stop() {
		CompletableFuture<SyncResult> running;
		synchronized (this.lock) {
			if (this.stopped) {
				return;
			}
			this.stopped = true;
			running = this.inFlight;
		}
		long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		this.worker.shutdownNow();
		boolean persisted = this.cacheKeeper.awaitWrites(Duration.ofNanos(untilDeadline(deadline)));
		try {
			if (!this.worker.awaitTermination(untilDeadline(deadline), TimeUnit.NANOSECONDS)) {
				logger.warn("The sync thread did not stop within " + this.settings.shutdownTimeout().toMillis()
						+ " ms");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!this.cacheKeeper.stop(Duration.ofNanos(untilDeadline(deadline))) || !persisted) {
			logger.warn("The cache read or write in progress has not ended within " + cacheTimeout().toMillis()
					+ " ms (a disk or network file system that does not answer); stopping without waiting for it. A "
					+ "write cut short is rolled back when the cache is next opened, so the cache keeps a whole "
					+ "version");
		}
		if (running != null) {
			running.complete(result(SyncOutcome.FAILED, 0, "stopped"));
		}
		updateStatus((current) -> current.withNextPollAt(null));
	}

	/**
	 * Return the longest a thread waits for a cache read or write: the shutdown timeout
	 * ({@code agentkit.sync.timeout}), which bounds a request too.
	 */
	private Duration cacheTimeout() {
		return this.settings.shutdownTimeout();
	}

	/**
	 * Return how long a pull waits for its cache write: the cache timeout or, while the
	 * start waits for the first pull with nothing in force, until a little before the start
	 * stops waiting, so that a disk that does not answer holds the start no longer than
	 * {@code agentkit.sync.startup-timeout} and the start finds the pulled configuration in
	 * force.
	 */
	private CacheKeeper.Wait cacheWriteWait() {
		Duration timeout = cacheTimeout();
		Long startDeadline = this.startDeadline;
		if (startDeadline != null && this.state.snapshot() == null) {
			long margin = Math.min(START_MARGIN.toNanos(), this.settings.startupTimeout().toNanos() / 10);
			long left = untilDeadline(startDeadline - margin);
			if (left < timeout.toNanos()) {
				return new CacheKeeper.Wait(Duration.ofNanos(left),
						"agentkit.sync.startup-timeout, which the start waits for the first pull");
			}
		}
		return this.cacheKeeper.timeoutWait();
	}

	private static long untilDeadline(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

	// Sync cycles

	/**
	 * Start a version check when one is due and none is running. Called by the poller;
	 * returns at once.
	 * @return {@code true} when a check was started
	 */
	public boolean pollIfDue() {
		if (!this.started || this.stopped) {
			return false;
		}
		reportIfStuck();
		Instant next = this.state.status().nextPollAt();
		Instant now = this.clock.instant();
		if (next != null && now.isBefore(next)) {
			Instant scheduledAt = this.checkScheduledAt;
			if (scheduledAt == null || !now.isBefore(scheduledAt)) {
				return false;
			}
			// A virtual machine restored from a snapshot, a clock set by hand.
			logger.info("The system clock went back: it reads " + now + ", before " + scheduledAt
					+ " when the next check was scheduled; checking now");
		}
		synchronized (this.lock) {
			if (this.inFlight != null && !this.inFlight.isDone()) {
				return false;
			}
			requestCycle(false);
			return true;
		}
	}

	/**
	 * Run one sync cycle now and wait for it: check the version and pull when it changed.
	 * Joins a cycle already running.
	 * @return the result
	 * @throws IllegalStateException when called on the sync thread (by a listener of a
	 * cycle's events), where it would wait for ever for itself
	 */
	public SyncResult syncNow() {
		return syncNow(false);
	}

	/**
	 * Run one sync cycle now and wait for it. Joins a cycle already running, unless
	 * {@code force} is asked and that cycle may not pull: a forced cycle then follows it.
	 * @param force {@code true} to pull the whole configuration whatever the version says
	 * @return the result
	 * @throws IllegalStateException when called on the sync thread (by a listener of a
	 * cycle's events), where it would wait for ever for itself
	 */
	public SyncResult syncNow(boolean force) {
		requireNotOnTheSyncThread();
		return requestCycle(force).join();
	}

	/**
	 * Run one sync cycle now and wait for it at most the given time. Joins a cycle already
	 * running as {@link #syncNow(boolean)} does. A cycle that is still running then goes on
	 * in the background, and the result says so.
	 * @param force {@code true} to pull the whole configuration whatever the version says
	 * @param maxWait the longest to wait
	 * @return the result, {@link SyncOutcome#FAILED} with the reason when the cycle did not
	 * end in time
	 * @throws IllegalStateException when called on the sync thread (by a listener of a
	 * cycle's events)
	 */
	public SyncResult syncNow(boolean force, Duration maxWait) {
		requireNotOnTheSyncThread();
		long start = System.nanoTime();
		try {
			return requestCycle(force).get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			RunningCycle stillRunning = this.runningCycle;
			String since = (stillRunning != null)
					? " (it started " + Duration.between(stillRunning.startedAt(), this.clock.instant()).toSeconds()
							+ " s ago)"
					: "";
			return result(SyncOutcome.FAILED, start, "the sync cycle did not end within " + maxWait.toMillis()
					+ " ms" + since + "; it goes on in the background, and the log names where it waits if it "
					+ "does not end");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return result(SyncOutcome.FAILED, start, "interrupted while waiting for the sync cycle");
		}
		catch (ExecutionException ex) {
			return result(SyncOutcome.FAILED, start, LogWords.errorMessage(String.valueOf(ex.getCause())));
		}
	}

	private void requireNotOnTheSyncThread() {
		RunningCycle running = this.runningCycle;
		if (running != null && running.thread() == Thread.currentThread()) {
			// A listener of this cycle's events, on the sync thread: joining would wait for itself.
			throw new IllegalStateException("syncNow() was called on the sync thread, by a listener of the "
					+ "cycle it would wait for; call it from another thread, or let the next poll run");
		}
	}

	private CompletableFuture<SyncResult> requestCycle(boolean force) {
		synchronized (this.lock) {
			if (this.inFlight != null && !this.inFlight.isDone() && (this.inFlightForced || !force)) {
				return this.inFlight;
			}
			// None running, or one that may not pull: a forced cycle runs after it on the worker.
			if (this.stopped) {
				return CompletableFuture.completedFuture(result(SyncOutcome.FAILED, 0, "stopped"));
			}
			CompletableFuture<SyncResult> cycle = new CompletableFuture<>();
			try {
				this.worker.execute(() -> completeCycle(force, cycle));
			}
			catch (RejectedExecutionException ex) {
				cycle.complete(result(SyncOutcome.FAILED, 0, "stopped"));
			}
			this.inFlight = cycle;
			this.inFlightForced = force;
			return cycle;
		}
	}

	/**
	 * Run a cycle and complete its future whatever happens, so that no caller waits for
	 * ever and the next cycle can start.
	 */
	private void completeCycle(boolean force, CompletableFuture<SyncResult> cycle) {
		this.runningCycle = new RunningCycle(this.clock.instant(), Thread.currentThread(), new AtomicBoolean());
		SyncResult result = null;
		try {
			result = runCycle(force);
		}
		catch (OutOfMemoryError ex) {
			// What ran out is the heap a large answer and the configuration made from it take; once the
			// cycle is over they are garbage, and the configuration in force is still whole.
			String message = "the JVM ran out of heap during the sync cycle (" + ex.getMessage() + "): a "
					+ "configuration takes about three times its JSON size while it is read, on top of the one in "
					+ "force, so give the JVM more heap (-Xmx) or lower agentkit.sync.max-payload-size so that such "
					+ "a body is refused before it is read";
			logger.error("Sync failed: " + message + "; the configuration in force stays, retrying in "
					+ LogWords.duration(AFTER_UNEXPECTED_FAILURE));
			result = fail(0, message, false);
			scheduleNextCheck(AFTER_UNEXPECTED_FAILURE);
		}
		catch (RuntimeException | Error ex) {
			logger.error("A sync cycle failed outside its own error handling; the configuration in force stays, "
					+ "retrying in " + LogWords.duration(AFTER_UNEXPECTED_FAILURE), ex);
			result = fail(0, "unexpected failure: " + ex, false);
			// The schedule may be what failed: retry after a fixed delay, not at every tick of the poller.
			scheduleNextCheck(AFTER_UNEXPECTED_FAILURE);
			if (ex instanceof Error error) {
				throw error;
			}
		}
		finally {
			// Cleared before the cycle completes, so no one who saw it end takes it for running.
			this.runningCycle = null;
			cycle.complete(result);
		}
	}

	/**
	 * Say once, with what its thread is doing, that a cycle has run for longer than
	 * {@link #STUCK_CYCLE}: something it calls (a token provider, a listener, a disk) does
	 * not return, and no other cycle can start until it does.
	 */
	private void reportIfStuck() {
		RunningCycle cycle = this.runningCycle;
		if (cycle == null) {
			return;
		}
		Duration running = Duration.between(cycle.startedAt(), this.clock.instant());
		if (running.compareTo(STUCK_CYCLE) < 0 || !cycle.reported().compareAndSet(false, true)) {
			return;
		}
		StringBuilder where = new StringBuilder();
		for (StackTraceElement frame : cycle.thread().getStackTrace()) {
			where.append(System.lineSeparator()).append("\tat ").append(frame);
		}
		logger.warn("The sync cycle that started " + LogWords.duration(running) + " ago has not ended, so no other "
				+ "cycle can start; the configuration in force stays. Its thread is waiting in:" + where);
	}

	private SyncResult runCycle(boolean force) {
		long start = System.nanoTime();
		SyncResult result;
		try {
			catchUpWithTheCacheNow();
			ConfigSnapshot current = this.state.snapshot();
			@Nullable String serverVersion = null;
			if (!force && current != null) {
				serverVersion = this.client.fetchVersion();
				boolean unchanged = serverVersion.equals(current.version());
				// A cache that failed to save is retried above; one that saved and then was lost is written again.
				boolean cacheLost = unchanged && this.cacheKeeper.isLost();
				if (unchanged && !cacheLost) {
					sayIfRecovered();
					updateStatus((status) -> status.withSuccess(ConfigSource.SERVER, this.clock.instant()));
					if (logger.isDebugEnabled()) {
						logger.debug("Configuration version " + LogText.of(serverVersion) + " is unchanged");
					}
					result = result(SyncOutcome.UNCHANGED, start, null);
					return finishCycle(result, null);
				}
				if (cacheLost) {
					logger.warn("The configuration cache is gone or holds no configuration any more; pulling version "
							+ LogText.of(serverVersion) + " again to write it");
				}
				else if (this.versionWarnings.isKnownDisagreement(serverVersion, current.version())) {
					if (logger.isDebugEnabled()) {
						logger.debug("The version endpoint still says " + LogText.of(serverVersion)
								+ " for configuration version " + LogText.of(current.version()) + "; pulling again");
					}
				}
				else {
					logger.info("The server's configuration version changed from " + LogText.of(current.version())
							+ " to " + LogText.of(serverVersion) + "; pulling it");
				}
			}
			result = pull(start, serverVersion);
			return finishCycle(result, null);
		}
		catch (ConfigServerException ex) {
			return finishCycle(fail(start, ex.getMessage(), ex.getReason() == ConfigServerException.Reason.CANCELLED),
					ex.getRetryAfter());
		}
		catch (RuntimeException ex) {
			logger.warn("Unexpected failure in a sync cycle", ex);
			return finishCycle(fail(start, "unexpected failure: " + ex, false), null);
		}
	}

	/**
	 * Pull the whole configuration and put it in force.
	 * @param cycleStart when the cycle started ({@link System#nanoTime()})
	 * @param polledVersion the version the server's version endpoint gave, when the pull
	 * follows a poll
	 */
	private SyncResult pull(long cycleStart, @Nullable String polledVersion) {
		long start = System.nanoTime();
		boolean success = false;
		// The cache write starts as soon as the body is in and is committed once it is valid.
		CacheWorker.Write cacheWrite = this.cacheKeeper.newWrite();
		try {
			ConfigDocument document = this.client.fetchAll(cacheWrite::start);
			boolean repeatedDisagreement = this.versionWarnings.pulled(polledVersion, document.snapshot().version());
			if (!this.cacheKeeper.savePulled(document, cacheWrite, cacheWriteWait())) {
				throw new ConfigServerException(ConfigServerException.Reason.CANCELLED, "stopped during a pull");
			}
			ConfigSnapshot snapshot = document.snapshot();
			sayIfRecovered();
			String before = getVersion();
			boolean changed = publish(snapshot, ConfigSource.SERVER, this.clock.instant(), false);
			success = true;
			if (changed) {
				this.versionWarnings.replaced(before, snapshot.version());
			}
			String outcome = "Configuration version " + LogText.of(snapshot.version())
					+ (changed ? " is in force" : " confirmed") + " (" + LogWords.items(snapshot) + ")";
			if (!changed && repeatedDisagreement) {
				logger.debug(outcome);
			}
			else {
				logger.info(outcome);
			}
			return result(changed ? SyncOutcome.UPDATED : SyncOutcome.UNCHANGED, cycleStart, null);
		}
		finally {
			cacheWrite.discard();
			Duration duration = Duration.ofNanos(System.nanoTime() - start);
			boolean succeeded = success;
			this.totals.updateAndGet((totals) -> totals.withPull(duration));
			this.listeners.forEach((listener) -> notifyListener(() -> listener.pullCompleted(duration, succeeded)));
		}
	}

	/**
	 * Say, before a success is recorded, that sync works again after failures (of the server
	 * or of what it sent): the last line in the log was a failure. Only the sync thread
	 * records cycles.
	 */
	private void sayIfRecovered() {
		int failures = this.state.status().consecutiveFailures();
		if (failures > 0) {
			logger.info("Sync works again, after " + LogWords.count(failures, "failed cycle"));
		}
	}

	private SyncResult fail(long start, String message, boolean cancelled) {
		String error = LogWords.errorMessage(message);
		if (cancelled) {
			logger.info("Sync cycle cancelled: " + error);
		}
		else {
			updateStatus((status) -> status.withFailure(error));
		}
		return result(SyncOutcome.FAILED, start, error);
	}

	private void scheduleNextCheck(Duration delay) {
		Instant now = this.clock.instant();
		this.checkScheduledAt = now;
		updateStatus((status) -> status.withNextPollAt(this.stopped ? null : now.plus(delay)));
	}

	private SyncResult finishCycle(SyncResult result, @Nullable Duration retryAfter) {
		Duration delay = (result.outcome() == SyncOutcome.FAILED)
				? this.schedule.afterFailure(this.state.status().consecutiveFailures(), retryAfter)
				: this.schedule.afterSuccess();
		scheduleNextCheck(delay);
		if (result.outcome() == SyncOutcome.FAILED && !this.stopped) {
			String version = getVersion();
			String kept = (version != null) ? "keeping version " + LogText.of(version) + " in force"
					: "no configuration in force yet";
			int failures = this.state.status().consecutiveFailures();
			if (failures > 1 && Objects.equals(result.error(), this.lastFailureLogged)) {
				// A lasting failure is said in full once; its repeats say only that it lasts.
				logger.warn("Sync still fails with the same error (" + failures + " failed cycles in a row); " + kept
						+ ", retrying in " + LogWords.duration(delay));
			}
			else {
				logger.warn(
						"Sync failed: " + result.error() + "; " + kept + ", retrying in " + LogWords.duration(delay));
			}
			this.lastFailureLogged = result.error();
		}
		this.totals.updateAndGet((totals) -> totals.withCycle(result.outcome()));
		this.listeners.forEach((listener) -> notifyListener(() -> listener.cycleCompleted(result)));
		return result;
	}

	/**
	 * Put a snapshot in force.
	 * @param confirmedAt when the server confirmed it, or, from the cache, when it was
	 * cached, {@code null} when the cache does not say
	 */
	private boolean publish(ConfigSnapshot snapshot, ConfigSource source, @Nullable Instant confirmedAt,
			boolean onlyIfEmpty) {
		ConfigSnapshot previous;
		synchronized (this.lock) {
			State current = this.state;
			previous = current.snapshot();
			if (onlyIfEmpty && previous != null) {
				return false;
			}
			// A cached configuration does not undo the failure that made startup load it.
			SyncStatus status = (source == ConfigSource.CACHE) ? current.status().withCachedConfiguration(confirmedAt)
					: current.status().withSuccess(source, Objects.requireNonNull(confirmedAt));
			boolean changed = !snapshot.equals(previous);
			this.state = changed ? new State(snapshot, new TypedBindings(this.jsonMapper), status)
					: current.withStatus(status);
			if (!changed) {
				return false;
			}
		}
		ServerVersionWarnings.warnIfEmptied(previous, snapshot);
		ConfigChangedEvent event = new ConfigChangedEvent(previous, snapshot, source);
		try {
			this.eventPublisher.accept(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener failed on " + event + "; the configuration stays in force", ex);
		}
		return true;
	}

	/**
	 * Read the cache again while nothing is in force because reading it failed (another
	 * process held the file locked, a disk was away): the application then runs on the
	 * cached configuration while the server is still out of reach, rather than on none
	 * until the server answers.
	 */
	private void retryCacheRead() {
		State current = this.state;
		if (current.snapshot() == null && current.status().cacheError() != null) {
			loadCache();
		}
	}

	/**
	 * Once a read or write of the cache that outlasted its wait has ended (the disk
	 * answers again), {@link #catchUpWithTheCacheNow() catch up with the cache} on the
	 * sync thread rather than at the next cycle.
	 */
	private void catchUpWithTheCache() {
		if (this.stopped) {
			return;
		}
		try {
			this.worker.execute(this::catchUpWithTheCacheNow);
		}
		catch (RejectedExecutionException ex) {
			// Stopped meanwhile: nothing is read or written after stop().
		}
	}

	/**
	 * Do what the cache could not do before, as each cycle does first: save the
	 * configuration in force that the cache does not hold, and read the cache while
	 * nothing is in force because reading it failed.
	 */
	private void catchUpWithTheCacheNow() {
		this.cacheKeeper.retryUnsaved();
		retryCacheRead();
	}

	private void updateStatus(UnaryOperator<SyncStatus> change) {
		synchronized (this.lock) {
			State current = this.state;
			this.state = current.withStatus(change.apply(current.status()));
		}
	}

	private SyncResult result(SyncOutcome outcome, long startNanos, @Nullable String error) {
		Duration duration = (startNanos != 0) ? Duration.ofNanos(System.nanoTime() - startNanos) : Duration.ZERO;
		return new SyncResult(outcome, getVersion(), duration, error);
	}

	private static void notifyListener(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("A sync listener failed", ex);
		}
	}

	@Override
	public String toString() {
		return "ConfigSync[version=" + getVersion() + ", source=" + this.state.status().source().value() + "]";
	}

	/**
	 * Return the configuration and the status in force, read together.
	 * @return the state
	 */
	State state() {
		return this.state;
	}

	/**
	 * What the engine holds, replaced whole so that a reader sees a snapshot with the
	 * status that belongs to it.
	 */
	record State(@Nullable ConfigSnapshot snapshot, TypedBindings bindings, SyncStatus status) {

		State withStatus(SyncStatus status) {
			return new State(this.snapshot, this.bindings, status);
		}

	}

	/**
	 * A cycle on the worker: when it started, its thread, and whether it was reported as
	 * stuck.
	 */
	private record RunningCycle(Instant startedAt, Thread thread, AtomicBoolean reported) {

	}

}
