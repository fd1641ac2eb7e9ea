package io.agentkit.sync.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.agentkit.sync.ConfigSync;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Publishes the engine's events as application events, holding back those raised while
 * the context is still being refreshed. {@code @EventListener} methods are registered only
 * after every singleton is created, so the event for the configuration put in force at
 * startup would otherwise reach no such listener; it is delivered, in order, once the
 * context is refreshed. A listener that throws on one is logged, as on any other.
 */
final class ContextRefreshedEventPublisher implements Consumer<Object>, ApplicationListener<ContextRefreshedEvent> {

	// The engine's logger, which reports the listeners that fail on the other events.
	private static final Log logger = LogFactory.getLog(ConfigSync.class);

	private final ApplicationEventPublisher publisher;

	private final List<Object> heldBack = new ArrayList<>();

	private boolean refreshed;

	ContextRefreshedEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void accept(Object event) {
		synchronized (this.heldBack) {
			if (!this.refreshed) {
				this.heldBack.add(event);
				return;
			}
		}
		this.publisher.publishEvent(event);
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		List<Object> events;
		synchronized (this.heldBack) {
			if (this.refreshed) {
				return;
			}
			this.refreshed = true;
			events = new ArrayList<>(this.heldBack);
			this.heldBack.clear();
		}
		events.forEach(this::publishHeldBack);
	}

	/**
	 * Publish an event held back during the refresh, as the engine publishes the others:
	 * a listener that throws is logged, and neither fails the start (this runs within the
	 * context's refresh) nor keeps the events after it from their listeners.
	 */
	private void publishHeldBack(Object event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener failed on " + event + "; the configuration stays in force", ex);
		}
	}

}
