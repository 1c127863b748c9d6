package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.rosettadl.examples.SharedData;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * The Python side of {@code export} and {@code import}, run for real: the twins of
 * {@code pytorch/image_twins.py} load what Java exported and predict what Java predicts; weights
 * trained in the twin import into Java with PyTorch's predictions; a traced twin runs in Java.
 * Needs {@code /usr/bin/python3} (or the Python named by {@code -Drosetta.test.python}) with torch
 * and numpy (Debian's python3-torch), and is skipped without them.
 */
class PyTorchTwinTest {

    private static final Path PYTHON = Path.of(System.getProperty("rosetta.test.python", "/usr/bin/python3"));
    private static final Path OPENBLAS = Path.of("/usr/lib/x86_64-linux-gnu/openblas-openmp");
    private static final Path SCRIPTS = Path.of("..", "pytorch").toAbsolutePath().normalize();

    @TempDir
    static Path tmp;

    /** Why the tests cannot run here, or null when they can. */
    private static String missing;

    @BeforeAll
    static void findPythonWithTorch() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            missing = "no " + PYTHON + " to run the PyTorch twins";
            return;
        }
        Python check = python(List.of("-c", "import torch, numpy"));
        if (check.exitCode != 0) {
            missing = PYTHON + " has no torch and numpy (apt-get install python3-torch python3-numpy): "
                    + check.output.strip().lines().reduce((first, last) -> last).orElse("");
        }
    }

    @BeforeEach
    void skipWithoutTorch() {
        assumeTrue(missing == null, () -> "skipped: " + missing);
    }

    private record Python(int exitCode, String output) {
    }

    private static Python python(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (Files.isDirectory(OPENBLAS)) {
            builder.environment().put("LD_LIBRARY_PATH", OPENBLAS.toString()); // else reference BLAS, 40x slower
        }
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "python finished: " + command);
        return new Python(process.exitValue(), output);
    }

    private static String script(String name) {
        return SCRIPTS.resolve(name).toString();
    }

    private static List<String> predictions(Path model, Path file, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("evaluate", model.toString(), "--data-dir",
                SharedData.dir().toString(), "--offline", "--device", "cpu", "--predictions", file.toString()));
        args.addAll(List.of(more));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return Files.readAllLines(file);
    }

    private static List<String> twinPredictions(Path npz, String model, String dataset, Path file)
            throws IOException, InterruptedException {
        Python run = python(List.of(script("predict_npz.py"), npz.toString(), "--model", model, "--dataset", dataset,
                "--data-dir", SharedData.dir().toString(), "--output", file.toString()));
        assertEquals(0, run.exitCode, run.output);
        return Files.readAllLines(file);
    }

    @Test
    void theTwinsPredictWhatTheExportedJavaModelsPredict() throws IOException, InterruptedException {
        String[][] models = {
            {"simple-cnn", "mnist", "--model", "simple-cnn"},
            {"cnn-bn", "mnist", "--preset", "cnn-bn"},
            {"cifar-cnn", "cifar10", "--model", "cifar-cnn"},
            {"lstm-rows", "mnist", "--preset", "lstm-rows"},
        };
        for (String[] m : models) {
            Path dir = tmp.resolve("java-" + m[0]);
            List<String> train = new ArrayList<>(List.of("train"));
            if (m[2].equals("--model")) {
                train.add(m[3]);
            } else {
                train.addAll(List.of(m[2], m[3]));
            }
            train.addAll(List.of("--dataset", m[1], "--data-dir", SharedData.dir().toString(), "--offline",
                    "--limit", "256", "--epochs", "1", "--device", "cpu", "--save-model", "--output-dir", dir.toString()));
            CliRun trained = CliRun.of(train.toArray(String[]::new));
            assertEquals(0, trained.exitCode(), trained.err());
            Path npz = tmp.resolve(m[0] + ".npz");
            CliRun export = CliRun.of("export", dir.resolve("model.ckpt").toString(), npz.toString(), "--device", "cpu");
            assertEquals(0, export.exitCode(), export.err());
            List<String> java = predictions(dir.resolve("model.ckpt"), tmp.resolve(m[0] + "-java.txt"));
            List<String> twin = twinPredictions(npz, m[0], m[1], tmp.resolve(m[0] + "-twin.txt"));
            assertTrue(java.size() >= 100, m[0] + " predicts the test set: " + java.size());
            assertEquals(java, twin, m[0] + ": the twin predicts every test image as Java does");
        }
    }

    @Test
    void weightsTrainedInTheTwinImportWithPyTorchsPredictionsAndRunAsTorchScript()
            throws IOException, InterruptedException {
        Path npz = tmp.resolve("twin.npz");
        Python train = python(List.of(script("train_twin.py"), "--model", "simple-cnn", "--dataset", "mnist",
                "--data-dir", SharedData.dir().toString(), "--limit", "512", "--output", npz.toString()));
        assertEquals(0, train.exitCode, train.output);
        List<String> twin = twinPredictions(npz, "simple-cnn", "mnist", tmp.resolve("twin.txt"));

        Path checkpoint = tmp.resolve("twin.ckpt");
        CliRun in = CliRun.of("import", npz.toString(), "--model", "simple-cnn", "--dataset", "mnist", "--output",
                checkpoint.toString(), "--data-dir", SharedData.dir().toString(), "--offline", "--device", "cpu");
        assertEquals(0, in.exitCode(), in.err());
        assertEquals(twin, predictions(checkpoint, tmp.resolve("imported.txt")), "Java predicts what PyTorch does");

        Path traced = tmp.resolve("twin.pt");
        Python trace = python(List.of(script("trace_twin.py"), npz.toString(), "--model", "simple-cnn", "--dataset",
                "mnist", "--output", traced.toString()));
        assertEquals(0, trace.exitCode, trace.output);
        assertEquals(twin, predictions(traced, tmp.resolve("torchscript.txt"), "--dataset", "mnist"),
                "the TorchScript module run by DJL predicts what the twin does");

        // predict reads image files the same way for a checkpoint and for TorchScript
        Path image = tmp.resolve("seven.png");
        ImageIO.write(seven(), "png", image.toFile());
        CliRun fromCheckpoint = CliRun.of("predict", checkpoint.toString(), image.toString(), "--device", "cpu");
        CliRun fromTorchScript = CliRun.of("predict", traced.toString(), image.toString(), "--dataset", "mnist",
                "--data-dir", SharedData.dir().toString(), "--offline", "--device", "cpu");
        assertEquals(0, fromCheckpoint.exitCode(), fromCheckpoint.err());
        assertEquals(0, fromTorchScript.exitCode(), fromTorchScript.err());
        assertTrue(fromCheckpoint.out().startsWith(image + ":  "), fromCheckpoint.out());
        assertEquals(fromCheckpoint.out(), fromTorchScript.out(), "same classes and probabilities to 0.1%");

        CliRun noDataset = CliRun.of("predict", traced.toString(), image.toString(), "--device", "cpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, noDataset.exitCode(), noDataset.err());
        assertTrue(noDataset.err().contains("is a TorchScript file") && noDataset.err().contains("--dataset"),
                noDataset.err());
        CliRun wrongShape = CliRun.of("predict", traced.toString(), image.toString(), "--dataset", "cifar10",
                "--data-dir", SharedData.dir().toString(), "--offline", "--device", "cpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, wrongShape.exitCode(), wrongShape.err());
        assertTrue(wrongShape.err().contains(traced.toString()), wrongShape.err());
        CliRun wrongData = CliRun.of("evaluate", traced.toString(), "--dataset", "cifar10", "--data-dir",
                SharedData.dir().toString(), "--offline", "--device", "cpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, wrongData.exitCode(), wrongData.err());
        assertTrue(wrongData.err().contains(traced + " fails on CIFAR-10's images"), wrongData.err());
    }

    /** A white 7 on black, drawn large. */
    private static BufferedImage seven() {
        BufferedImage image = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(18, 14, 48, 10);
        g.fillRect(50, 14, 12, 60);
        g.dispose();
        return image;
    }
}
