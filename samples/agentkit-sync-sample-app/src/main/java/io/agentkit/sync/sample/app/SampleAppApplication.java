package io.agentkit.sync.sample.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point of the AgentKit sample application. The starter does the syncing; this
 * application only reads {@link io.agentkit.sync.ConfigSync}.
 *
 * @author AgentKit
 */
@SpringBootApplication
public class SampleAppApplication {

	/**
	 * Run the application.
	 * @param args the command line arguments, for example
	 * {@code --agentkit.sync.poll-interval=2s}
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleAppApplication.class, args);
	}

}
