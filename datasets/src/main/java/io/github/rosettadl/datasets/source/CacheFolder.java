package io.github.rosettadl.datasets.source;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.DatasetStorageException;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.files.FileSystemErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A data set's folder in the cache, {@code CACHE/<cli-name>/}, made and checked writable before use. */
final class CacheFolder {

    /** How to move the cache, for messages about one that cannot be written. */
    static final String MOVE_IT = "point the cache elsewhere (--cache-dir DIR, XDG_CACHE_HOME, or"
            + " DataOptions.withCacheDir)";
    private static final String ELSEWHERE = "Or " + MOVE_IT + ", or put the files in a folder passed with"
            + " --data-dir (DataOptions.withDataDir).";

    private CacheFolder() {
    }

    /**
     * Creates the data set's cache folder if needed and proves it writable by writing a file.
     *
     * @param cacheDir the cache root
     * @param id the data set
     * @return {@code cacheDir/<cli-name>}
     * @throws DatasetStorageException if the folder cannot be made or written, saying why and how to
     *     choose another
     */
    static Path prepare(Path cacheDir, ImageDatasetId id) {
        Path home = cacheDir.resolve(id.cliName());
        try {
            Files.createDirectories(home);
            // permissions, read-only mounts and quotas only show when actually writing
            Files.delete(Files.createTempFile(home, ".write-test-", ".tmp"));
            return home;
        } catch (IOException e) {
            throw FileSystemErrors.storage("cannot write to the cache folder " + home, e, ELSEWHERE);
        } catch (SecurityException e) {
            throw new DatasetException("cannot write to the cache folder " + home + " (" + e + "). " + ELSEWHERE, e);
        }
    }

    /**
     * A storage failure met while filling the cache, with the way to move the cache added when the
     * message lacks it.
     *
     * @param e the failure, naming the path
     * @return the failure, advised
     */
    static DatasetStorageException advised(DatasetStorageException e) {
        if (e.getMessage().contains(MOVE_IT)) {
            return e;
        }
        return new DatasetStorageException(e.getMessage() + " Or " + MOVE_IT + ".", e.getCause());
    }
}
