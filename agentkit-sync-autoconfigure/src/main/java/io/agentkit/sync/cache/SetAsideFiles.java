package io.agentkit.sync.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Moves a cache file that cannot be used aside, kept for inspection with a
 * {@code .corrupt-<time>} suffix, and deletes older copies so that
 * {@link SqliteConfigCacheRepository#SET_ASIDE_KEPT} stay: a file that keeps being spoiled
 * does not fill the disk. For a symbolic link, the file it leads to is moved, beside that
 * file, and the link stays.
 */
final class SetAsideFiles {

	private static final DateTimeFormatter SUFFIX_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	// The repository's category: what it does is the repository's, for whoever sets its log level.
	private static final Log logger = LogFactory.getLog(SqliteConfigCacheRepository.class);

	private final Path file;

	private final Clock clock;

	/**
	 * Create a new instance.
	 * @param file the cache file
	 * @param clock the clock the suffix's time is read from
	 */
	SetAsideFiles(Path file, Clock clock) {
		this.file = file;
		this.clock = clock;
	}

	/**
	 * Move the file aside, with its journal and write-ahead files deleted.
	 * @return what was done, as a sentence
	 */
	String setAside() {
		Path target = CacheFiles.linkTarget(this.file);
		String time = SUFFIX_TIME.format(this.clock.instant());
		Path aside = target.resolveSibling(target.getFileName() + ".corrupt-" + time);
		try {
			Files.move(target, aside, StandardCopyOption.REPLACE_EXISTING);
			for (String suffix : List.of("-journal", "-wal", "-shm")) {
				Files.deleteIfExists(target.resolveSibling(target.getFileName() + suffix));
			}
			deleteOldCopies(target, aside);
			return (target.equals(this.file) ? "Moved it to " + aside
					: "Moved " + target + ", where the link points, to " + aside + " (the link stays)")
					+ "; a new cache is written on the next successful pull.";
		}
		catch (IOException ex) {
			return "It could not be moved aside either (" + CacheFiles.describe(ex) + ").";
		}
	}

	/**
	 * Delete the copies of the given file moved aside but the one just moved and the newest
	 * others, so that {@link SqliteConfigCacheRepository#SET_ASIDE_KEPT} stay (their names
	 * end with the time, so they sort by it). Best effort: a file that cannot be deleted
	 * stays.
	 */
	private void deleteOldCopies(Path target, Path justMoved) {
		String prefix = target.getFileName() + ".corrupt-";
		try (Stream<Path> siblings = Files.list(justMoved.toAbsolutePath().getParent())) {
			List<Path> old = siblings
				.filter((path) -> path.getFileName().toString().startsWith(prefix)
						&& !path.getFileName().equals(justMoved.getFileName()))
				.sorted(Comparator.comparing((Path path) -> path.getFileName().toString()).reversed())
				.skip(SqliteConfigCacheRepository.SET_ASIDE_KEPT - 1)
				.toList();
			for (Path path : old) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			logger.debug("Could not delete old set-aside copies of " + this.file, ex);
		}
	}

}
