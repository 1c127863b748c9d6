package io.github.rosettadl.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests' real data is: the folder that {@value #PROPERTY} (or {@value #ENV}) names,
 * holding the full data sets, or else the small real subset bundled in the datasets module's test
 * resources, so that a fresh clone runs every real-data test. The same rule as the datasets and
 * examples modules' helpers.
 */
public final class RealData {

    /** The system property naming a folder with the full data sets ({@code mnist/}, {@code cifar-10-batches-bin/}). */
    public static final String PROPERTY = "rosetta.test.data";
    /** The environment variable read when the property is not set. */
    public static final String ENV = "ROSETTA_TEST_DATA";

    private RealData() {
    }

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
        Path file = dir().resolve("mnist").resolve("train-images-idx3-ubyte.gz");
        if (!Files.isRegularFile(file)) {
            fail("no " + file + ": the folder named by -D" + PROPERTY + " or " + ENV
                    + " must hold mnist/ (or leave both unset to use the bundled subset)");
        }
        return dir();
    }
}
