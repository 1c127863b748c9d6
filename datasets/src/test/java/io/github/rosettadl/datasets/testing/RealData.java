package io.github.rosettadl.datasets.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.rosettadl.datasets.download.ProgressSink;
import io.github.rosettadl.datasets.source.DataOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the real data sets are on this machine, and options that read only from there. */
public final class RealData {

    /** Overrides where the project's shared data folder is. */
    static final String SHARED_DATA_PROPERTY = "rosetta.shared.data";
    /** Where Debian's dataset-fashion-mnist installs. */
    static final Path DEBIAN_FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    private RealData() {
    }

    /** The shared data folder: the property, else ../shared/data from the repository root. */
    static Path sharedData() {
        String property = System.getProperty(SHARED_DATA_PROPERTY);
        // surefire runs in the module folder, one below the repository root
        return property != null ? Path.of(property) : Path.of("..", "..", "shared", "data").toAbsolutePath().normalize();
    }

    public static Path requireMnist() {
        Path dir = sharedData().resolve("mnist");
        assumeTrue(Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")),
                "real MNIST is absent: no " + dir + " (set -D" + SHARED_DATA_PROPERTY + " to the shared data folder)");
        return sharedData();
    }

    public static Path requireCifar() {
        Path dir = sharedData().resolve("cifar-10-batches-bin");
        assumeTrue(Files.isRegularFile(dir.resolve("data_batch_1.bin")),
                "real CIFAR-10 is absent: no " + dir + " (set -D" + SHARED_DATA_PROPERTY + " to the shared data folder)");
        return sharedData();
    }

    static Path requireDebianFashion() {
        assumeTrue(Files.isRegularFile(DEBIAN_FASHION.resolve("train-images-idx3-ubyte.gz")),
                "Debian's Fashion-MNIST is absent: no " + DEBIAN_FASHION
                        + " (apt-get install -y dataset-fashion-mnist)");
        return DEBIAN_FASHION;
    }

    /** Offline options that read only {@code dataDir} and an empty cache. */
    public static DataOptions only(Path dataDir, Path emptyCache) {
        return DataOptions.defaults()
                .withDataDir(dataDir)
                .withEnvironmentDataDir(null)
                .withSystemDirs(List.of())
                .withCacheDir(emptyCache)
                .withOffline(true)
                .withProgress(ProgressSink.silent());
    }
}
