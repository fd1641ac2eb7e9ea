package io.agentkit.sync.hardening;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Captures every Logback event, from any thread, while open; optionally turns chosen
 * loggers up (to {@code TRACE}), putting their levels back on close.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

	private final Map<Logger, Level> previousLevels = new LinkedHashMap<>();

	private final Logger root;

	private LogCapture(Level level, String... loggers) {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		setContext(context);
		setName("hardening-log-capture");
		for (String name : loggers) {
			Logger logger = context.getLogger(name);
			this.previousLevels.put(logger, logger.getLevel());
			logger.setLevel(level);
		}
		this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		start();
		this.root.addAppender(this);
	}

	/**
	 * Capture events as the loggers are configured.
	 */
	static LogCapture capture() {
		return new LogCapture(Level.TRACE);
	}

	/**
	 * Capture events, with the given loggers at {@code TRACE}.
	 */
	static LogCapture atTrace(String... loggers) {
		return new LogCapture(Level.TRACE, loggers);
	}

	@Override
	protected void append(ILoggingEvent event) {
		event.prepareForDeferredProcessing();
		this.events.add(event);
	}

	List<ILoggingEvent> events() {
		return List.copyOf(this.events);
	}

	/**
	 * Return every event as text: level, logger, message, and the stack trace when there
	 * is one.
	 */
	static String describe(ILoggingEvent event) {
		String text = event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "] "
				+ event.getFormattedMessage();
		if (event.getThrowableProxy() != null) {
			text += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
		}
		return text;
	}

	/**
	 * Return all events as text.
	 */
	String text() {
		StringBuilder text = new StringBuilder();
		for (ILoggingEvent event : this.events) {
			text.append(describe(event)).append('\n');
		}
		return text.toString();
	}

	/**
	 * Return the events at {@code ERROR}, and those with a stack trace at {@code WARN}, as
	 * text.
	 */
	List<String> errorsAndStackTraces() {
		return this.events.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.ERROR)
					|| (event.getLevel().isGreaterOrEqual(Level.WARN) && event.getThrowableProxy() != null))
			.map(LogCapture::describe)
			.toList();
	}

	@Override
	public void close() {
		this.root.detachAppender(this);
		stop();
		this.previousLevels.forEach(Logger::setLevel);
	}

}
