package io.github.rosettadl.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.rosettadl.datasets.download.ProgressSink;
import io.github.rosettadl.datasets.source.DataOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real data beside the repository (../shared/data), which tests use when it is there. */
public final class SharedData {

    private SharedData() {}

    /** The shared data folder: the rosetta.shared.data property, else ../shared/data from the repository root. */
    public static Path dir() {
        String property = System.getProperty("rosetta.shared.data");
        return property != null ? Path.of(property) : Path.of("..", "..", "shared", "data").toAbsolutePath().normalize();
    }

    /** Skips the calling test, saying why, when MNIST is not in the shared folder. */
    public static Path requireMnist() {
        assumeTrue(Files.isDirectory(dir().resolve("mnist")), "real MNIST not found under " + dir());
        return dir();
    }

    /** Skips the calling test, saying why, when CIFAR-10 is not in the shared folder. */
    public static Path requireCifar10() {
        assumeTrue(Files.isDirectory(dir().resolve("cifar-10-batches-bin")), "real CIFAR-10 not found under " + dir());
        return dir();
    }

    /** Offline options that read only the given folder and an empty cache. */
    public static DataOptions offline(Path dataDir, Path emptyCache) {
        return DataOptions.defaults().withOffline(true).withDataDir(dataDir).withCacheDir(emptyCache)
                .withProgress(ProgressSink.silent());
    }
}
