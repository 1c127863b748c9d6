package io.github.rosettadl.examples;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.rosettadl.datasets.download.ProgressSink;
import io.github.rosettadl.datasets.source.DataOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests' real data is: the folder that {@value #PROPERTY} (or {@value #ENV}) names,
 * holding the full data sets, or else the small real subset bundled in the datasets module's test
 * resources, so that a fresh clone runs every real-data test. The same rule as the datasets and
 * core modules' helpers.
 */
public final class SharedData {

    /** The system property naming a folder with the full data sets ({@code mnist/}, {@code cifar-10-batches-bin/}). */
    public static final String PROPERTY = "rosetta.test.data";
    /** The environment variable read when the property is not set. */
    public static final String ENV = "ROSETTA_TEST_DATA";

    private SharedData() {}

    /** The data folder: the one named, else the bundled subset. */
    public static Path dir() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENV);
        }
        if (value == null || value.isBlank()) {
            // surefire runs in the module folder; the datasets module is beside it
            return Path.of("..", "datasets", "src", "test", "resources", "real-subset").toAbsolutePath().normalize();
        }
        // a relative folder is read from the repository root, one above the module folder
        return Path.of("").toAbsolutePath().getParent().resolve(value).normalize();
    }

    /** The data folder, which must hold MNIST. */
    public static Path requireMnist() {
        return require("mnist");
    }

    /** The data folder, which must hold CIFAR-10's binary batches. */
    public static Path requireCifar10() {
        return require("cifar-10-batches-bin");
    }

    private static Path require(String folder) {
        if (!Files.isDirectory(dir().resolve(folder))) {
            fail("no " + dir().resolve(folder) + ": the folder named by -D" + PROPERTY + " or " + ENV + " must hold "
                    + folder + "/ (or leave both unset to use the bundled subset)");
        }
        return dir();
    }

    /** Offline options that read only the given folder and an empty cache. */
    public static DataOptions offline(Path dataDir, Path emptyCache) {
        return DataOptions.defaults().withOffline(true).withDataDir(dataDir).withCacheDir(emptyCache)
                .withProgress(ProgressSink.silent());
    }
}
