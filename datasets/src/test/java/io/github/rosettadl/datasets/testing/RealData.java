package io.github.rosettadl.datasets.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.rosettadl.datasets.download.ProgressSink;
import io.github.rosettadl.datasets.source.DataOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the tests' real data is: the folder that {@value #PROPERTY} (or {@value #ENV}) names,
 * holding the full data sets, or else the small real subset bundled in this module's test
 * resources, so that a fresh clone runs every real-data test.
 */
public final class RealData {

    /** The system property naming a folder with the full data sets ({@code mnist/}, {@code cifar-10-batches-bin/}). */
    public static final String PROPERTY = "rosetta.test.data";
    /** The environment variable read when the property is not set. */
    public static final String ENV = "ROSETTA_TEST_DATA";
    /** Where Debian's dataset-fashion-mnist installs. */
    static final Path DEBIAN_FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    private RealData() {
    }

    /** The data folder: the one named, else the bundled subset. */
    public static Path dir() {
        Path named = named();
        return named != null ? named : subset();
    }

    /** Whether the full data sets were named, rather than the bundled subset used. */
    public static boolean full() {
        return named() != null;
    }

    /** The bundled subset: the first 2,000 + 500 MNIST and 350 + 100 CIFAR-10 images. */
    public static Path subset() {
        // surefire runs in the module folder; every module finds the datasets module beside it
        return Path.of("..", "datasets", "src", "test", "resources", "real-subset").toAbsolutePath().normalize();
    }

    private static Path named() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENV);
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        // a relative folder is read from the repository root, one above the module folder
        Path root = Path.of("").toAbsolutePath().getParent();
        return root.resolve(value).normalize();
    }

    /** The data folder, which must hold MNIST. */
    public static Path requireMnist() {
        return require("mnist", "train-images-idx3-ubyte.gz");
    }

    /** The data folder, which must hold CIFAR-10's binary batches. */
    public static Path requireCifar() {
        return require("cifar-10-batches-bin", "data_batch_1.bin");
    }

    private static Path require(String folder, String file) {
        Path dir = dir();
        if (!Files.isRegularFile(dir.resolve(folder).resolve(file))) {
            fail("no " + dir.resolve(folder).resolve(file) + ": " + (full()
                    ? "the folder named by -D" + PROPERTY + " or " + ENV + " must hold " + folder + "/"
                    : "the bundled subset is missing from this checkout"));
        }
        return dir;
    }

    /** Debian's Fashion-MNIST ({@code apt-get install -y dataset-fashion-mnist}), or null where it is not installed. */
    static Path debianFashion() {
        return Files.isRegularFile(DEBIAN_FASHION.resolve("train-images-idx3-ubyte.gz")) ? DEBIAN_FASHION : null;
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
