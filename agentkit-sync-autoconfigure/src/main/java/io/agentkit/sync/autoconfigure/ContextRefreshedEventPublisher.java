package io.agentkit.sync.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Publishes the engine's events as application events, holding back those raised while
 * the context is still being refreshed. {@code @EventListener} methods are registered only
 * after every singleton is created, so the event for the configuration put in force at
 * startup would otherwise reach no such listener; it is delivered, in order, once the
 * context is refreshed.
 */
final class ContextRefreshedEventPublisher implements Consumer<Object>, ApplicationListener<ContextRefreshedEvent> {

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
		events.forEach(this.publisher::publishEvent);
	}

}
