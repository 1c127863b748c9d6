package io.github.rosettadl.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Proves a folder writable before long work starts, so that hours of training are not lost to a
 * permission or a read-only disk at the end. Nothing is left behind: a folder that does not exist
 * yet is not created, its nearest existing parent is tried instead.
 */
public final class WritableFolder {

    private WritableFolder() {}

    /**
     * Writes and deletes a file in {@code dir}, or in its nearest existing parent when {@code dir}
     * does not exist yet.
     *
     * @param dir the folder that will be written
     * @param advice what would fix it, for example {@code "Choose another folder with --runs-dir."}
     * @return {@code dir}
     * @throws StorageException naming the folder, the reason and the advice when it cannot be written
     */
    public static Path require(Path dir, String advice) {
        Path existing = dir.toAbsolutePath();
        while (existing.getParent() != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (!Files.isDirectory(existing)) {
                throw new StorageException("Cannot write to " + dir + ": " + existing + " is a file, not a folder. "
                        + advice, new NotDirectoryException(existing.toString()));
            }
            Files.delete(Files.createTempFile(existing, ".write-check-", ".tmp"));
            return dir;
        } catch (IOException e) {
            // the probe's own name would only puzzle: name the folder asked for, and where it was tried
            String tried = existing.equals(dir.toAbsolutePath()) ? "" : " (tried in " + existing + ", the nearest"
                    + " folder that exists)";
            throw new StorageException("Cannot write to " + dir + tried + ": " + StorageException.reason(e) + ". "
                    + advice, e);
        }
    }
}
