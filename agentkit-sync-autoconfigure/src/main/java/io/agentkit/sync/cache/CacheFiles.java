package io.agentkit.sync.cache;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.jspecify.annotations.Nullable;

/**
 * The file system work around the cache file: the file a symbolic link leads to,
 * owner-only folders and files, and a file system failure in words.
 */
final class CacheFiles {

	/**
	 * The most symbolic links followed from the cache file to the file they lead to, as
	 * many as the system follows in one path.
	 */
	private static final int MAX_LINKS = 40;

	private CacheFiles() {
	}

	/**
	 * Return the file the cache lives in: the configured file or, when that is a symbolic
	 * link, the file it leads to (through each link of a chain), whether that exists yet or
	 * not. SQLite opens the link's target, creating it when it is missing, and keeps its
	 * journal beside it; so the file set aside or created is that one, and the link, which
	 * may point at a persistent volume, stays.
	 * @param file the configured file
	 * @return the file it leads to
	 */
	static Path linkTarget(Path file) {
		Path path = file;
		try {
			for (int links = 0; links < MAX_LINKS && Files.isSymbolicLink(path); links++) {
				// Against the link's folder without links, as the system resolves a relative target ("../x").
				path = path.getParent().toRealPath().resolve(Files.readSymbolicLink(path)).normalize();
			}
		}
		catch (IOException ex) {
			// A link that cannot be read: SQLite fails to open it too, and that failure is reported.
		}
		return path;
	}

	/**
	 * Create a folder and the folders above it that are missing, owner-only
	 * ({@code 0700}) where the file system has POSIX permissions.
	 * @param folder the folder
	 * @throws IOException when it cannot be created
	 */
	static void createOwnerOnlyFolders(Path folder) throws IOException {
		if (isPosix(folder)) {
			Files.createDirectories(folder,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		else {
			Files.createDirectories(folder);
		}
	}

	/**
	 * Create an empty file, owner-only ({@code 0600}) where the file system has POSIX
	 * permissions, unless another writer created it first.
	 * @param file the file
	 * @throws IOException when it cannot be created
	 */
	static void createOwnerOnlyFile(Path file) throws IOException {
		try {
			if (isPosix(file.getParent())) {
				Files.createFile(file,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			else {
				Files.createFile(file);
			}
		}
		catch (FileAlreadyExistsException ex) {
			// Another writer created it first: keep theirs.
		}
	}

	/**
	 * Return whether a path's file system has POSIX permissions.
	 * @param path the path, or {@code null}
	 * @return {@code true} when it has them
	 */
	static boolean isPosix(@Nullable Path path) {
		return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

	/**
	 * Return a file system failure in words: the JDK's messages name only the file.
	 * @param ex the failure
	 * @return what happened
	 */
	static String describe(IOException ex) {
		if (ex instanceof AccessDeniedException) {
			return "permission denied for " + ex.getMessage();
		}
		if (ex instanceof FileAlreadyExistsException) {
			return ex.getMessage() + " is in the way (a file where a folder is needed)";
		}
		return ex.getClass().getSimpleName() + ": " + ex.getMessage();
	}

}
