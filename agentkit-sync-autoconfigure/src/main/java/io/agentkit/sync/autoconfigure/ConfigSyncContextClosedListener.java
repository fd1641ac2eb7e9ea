package io.agentkit.sync.autoconfigure;

import io.agentkit.sync.ConfigSync;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Stops the engine as soon as its application context begins to close, before any
 * lifecycle bean stops: a sync cycle in flight is cancelled and whoever waits for it (a
 * request to the endpoint that forces a pull) is answered at once, so the web server's
 * graceful shutdown, which waits for the requests in progress, does not wait for a pull
 * from a server that hangs. The configuration in force stays readable until the context
 * is closed. A context that uses the engine of a parent context leaves it to the parent.
 */
final class ConfigSyncContextClosedListener implements ApplicationListener<ContextClosedEvent> {

	private final ApplicationContext context;

	private final ConfigSync configSync;

	ConfigSyncContextClosedListener(ApplicationContext context, ConfigSync configSync) {
		this.context = context;
		this.configSync = configSync;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// A child context (the management server's, say) closing is not this one closing.
		if (event.getApplicationContext() == this.context && definesTheEngine()) {
			this.configSync.stop();
		}
	}

	/**
	 * Whether the engine is a bean of this context rather than of a parent's: a child
	 * context that applies the auto-configuration too uses its parent's engine, which its
	 * closing must leave running.
	 */
	private boolean definesTheEngine() {
		for (String name : this.context.getBeanNamesForType(ConfigSync.class, true, false)) {
			if (this.context.getBean(name) == this.configSync) {
				return true;
			}
		}
		return false;
	}

}
