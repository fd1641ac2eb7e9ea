/**
 * A Spring Boot web application that serves the AgentKit skills and workflows the starter keeps in sync.
 */
@NullMarked
package io.agentkit.sync.sample.app;

import org.jspecify.annotations.NullMarked;
