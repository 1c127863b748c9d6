package io.github.rosettadl.datasets.source;

import io.github.rosettadl.datasets.DatasetException;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.source.DataOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A data set's folder in the cache, {@code CACHE/<cli-name>/}, made and checked writable before use. */
final class CacheFolder {

    private CacheFolder() {
    }

    /**
     * Creates the data set's cache folder if needed and proves it writable by writing a file.
     *
     * @param cacheDir the cache root
     * @param id the data set
     * @return {@code cacheDir/<cli-name>}
     * @throws DatasetException if the folder cannot be made or written, saying how to choose another
     */
    static Path prepare(Path cacheDir, ImageDatasetId id) {
        Path home = cacheDir.resolve(id.cliName());
        try {
            Files.createDirectories(home);
            // permissions, read-only mounts and quotas only show when actually writing
            Files.delete(Files.createTempFile(home, ".write-test-", ".tmp"));
            return home;
        } catch (IOException | SecurityException e) {
            throw new DatasetException("cannot write to the cache folder " + home + " (" + e
                    + "). Make it writable, point the cache elsewhere (XDG_CACHE_HOME, or"
                    + " DataOptions.withCacheDir), or put the " + id.displayName()
                    + " files in a folder passed with --data-dir (DataOptions.withDataDir).", e);
        }
    }
}
