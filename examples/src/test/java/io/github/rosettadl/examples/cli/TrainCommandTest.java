package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.core.report.RunReport;
import io.github.rosettadl.examples.SharedData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/** {@code train} end to end on small real subsets: every model on every data set, and its report. */
class TrainCommandTest {

    @TempDir
    Path tmp;

    private CliRun train(String model, String dataset, String... extra) {
        String[] args = RosettaCli.withPrefix(extra, "train", model, "--dataset", dataset, "--data-dir",
                SharedData.dir().toString(), "--offline", "--cache-dir", tmp.resolve("cache").toString(),
                "--device", "cpu", "--output-dir", tmp.resolve("run").toString());
        return CliRun.of(args);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "softmax-regression, mnist", "mlp, mnist", "simple-cnn, mnist", "cifar-cnn, mnist", "rnn, mnist",
        "softmax-regression, cifar10", "mlp, cifar10", "simple-cnn, cifar10", "cifar-cnn, cifar10", "rnn, cifar10"})
    void everyImageModelTrainsOnEveryShapeAndWritesItsReport(String model, String dataset) throws IOException {
        if (dataset.equals("mnist")) {
            SharedData.requireMnist();
        } else {
            SharedData.requireCifar10();
        }
        CliRun run = train(model, dataset, "--epochs", "2", "--limit", "256", "--batch-size", "64");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Test accuracy"), run.out());

        Path dir = tmp.resolve("run");
        for (String file : RunReport.FILES) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        assertFalse(Files.exists(dir.resolve("model.ckpt")), "no checkpoint without --save-model");
        try (var leftovers = Files.list(dir)) {
            assertTrue(leftovers.noneMatch(p -> p.toString().endsWith(".tmp")), "temporary files left behind");
        }

        List<String> history = Files.readAllLines(dir.resolve("history.csv"));
        assertEquals("epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds,images_per_second",
                history.get(0));
        assertEquals(3, history.size(), "header and one row per epoch");
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("class,precision,recall,f1,support", metrics.get(0));
        assertEquals(11, metrics.size(), "header and one row per class");
        List<String> confusion = Files.readAllLines(dir.resolve("confusion.csv"));
        assertEquals(11, confusion.size());
        assertEquals(11, confusion.get(0).split(",").length, "class column and one column per predicted class");

        assertImage(dir.resolve("loss.png"), 800, 500);
        assertImage(dir.resolve("accuracy.png"), 800, 500);
        assertImage(dir.resolve("confusion.png"), 800, 800);
        String summary = Files.readString(dir.resolve("summary.md"));
        assertTrue(summary.contains("Test accuracy: **"), summary);
        assertTrue(summary.contains("| 2 |"), "the summary lists both epochs:\n" + summary);
    }

    private static void assertImage(Path file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " does not decode as an image");
        assertEquals(width, image.getWidth(), file.toString());
        assertEquals(height, image.getHeight(), file.toString());
    }

    @Test
    void dryRunTrainsOneBatchForOneEpoch() throws IOException {
        SharedData.requireMnist();
        CliRun run = train("mlp", "mnist", "--dry-run", "--save-model");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(2, Files.readAllLines(tmp.resolve("run/history.csv")).size());
        assertTrue(Files.readString(tmp.resolve("run/summary.md")).contains("64 training images (dry run"));
        assertTrue(Files.size(tmp.resolve("run/model.ckpt")) > 100_000, "an MLP checkpoint holds 100k weights");
    }

    @Test
    void momentumReachesTheOptimiserAndTheRecord() throws IOException {
        SharedData.requireMnist();
        CliRun run = train("mlp", "mnist", "--epochs", "1", "--limit", "256", "--optimizer", "sgd",
                "--momentum", "0.5");
        assertEquals(0, run.exitCode(), run.err());
        Path dir = tmp.resolve("run");
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("sgd, learning rate 0.001, momentum 0.5"),
                Files.readString(dir.resolve("summary.md")));
        assertTrue(Files.readString(dir.resolve(RunSettings.FILE)).contains("\"momentum\": 0.5"),
                Files.readString(dir.resolve(RunSettings.FILE)));
    }

    @Test
    void accumulationAndFloat16AreRecordedAndKeptByResume() throws IOException {
        SharedData.requireMnist();
        CliRun run = train("simple-cnn", "mnist", "--epochs", "1", "--limit", "256", "--batch-size", "16",
                "--accumulate", "4", "--precision", "fp16", "--save-model");
        assertEquals(0, run.exitCode(), run.err());
        Path dir = tmp.resolve("run");
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("4 batches per update, fp16, on cpu()"),
                Files.readString(dir.resolve("summary.md")));
        String settings = Files.readString(dir.resolve(RunSettings.FILE));
        assertTrue(settings.contains("\"accumulate\": 4") && settings.contains("\"precision\": \"FP16\""), settings);

        CliRun refused = CliRun.of("train", "--resume", dir.toString(), "--accumulate", "2");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("--accumulate"), refused.err());

        CliRun resumed = CliRun.of("train", "--resume", dir.toString(), "--epochs", "2", "--data-dir",
                SharedData.dir().toString(), "--offline", "--cache-dir", tmp.resolve("cache").toString(),
                "--device", "cpu");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(3, Files.readAllLines(dir.resolve("history.csv")).size(), "header and two epochs");
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("4 batches per update, fp16"));
    }

    @Test
    void offlineWithoutDataExitsWithTwoAndSaysWhereToPutTheFiles() {
        // MNIST: no Debian package puts it in a system folder, so only --data-dir and the cache are searched
        CliRun run = CliRun.of("train", "mlp", "--dataset", "mnist", "--offline", "--data-dir",
                tmp.resolve("empty").toString(), "--cache-dir", tmp.resolve("cache").toString(), "--device", "cpu",
                "--output-dir", tmp.resolve("run").toString());
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertEquals(2, run.err().lines().count(), "two lines without --verbose:\n" + run.err());
        assertTrue(run.err().startsWith("Error: MNIST is not available: no local copy was found and offline mode is on."),
                run.err());
        assertTrue(run.err().contains("DIR/mnist/train-images-idx3-ubyte.gz"), run.err());
        assertTrue(run.err().contains("--data-dir DIR"), run.err());
    }
}
