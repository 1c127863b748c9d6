package io.github.rosettadl.examples.cli;

import io.github.rosettadl.datasets.source.DataOptions;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --data-dir} and {@code --offline} flags of every command that reads a data set. */
final class DataFlags {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder with the data set files, searched first (also: ROSETTA_DATA_DIR).")
    Path dataDir;

    @Option(names = "--offline", description = "Never download; use only local folders and the cache.")
    boolean offline;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where downloads are kept (default: $XDG_CACHE_HOME/rosetta-dl or ~/.cache/rosetta-dl).")
    Path cacheDir;

    /**
     * The data options these flags give on top of the environment's defaults.
     *
     * @return the options
     */
    DataOptions options() {
        DataOptions options = DataOptions.defaults().withDataDir(dataDir);
        if (cacheDir != null) {
            options = options.withCacheDir(cacheDir);
        }
        return offline ? options.withOffline(true) : options;
    }
}
