/**
 * The configuration cache: the repository interface and its SQLite implementation.
 */
@NullMarked
package io.agentkit.sync.cache;

import org.jspecify.annotations.NullMarked;
