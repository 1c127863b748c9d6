package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.core.compression.PrunedCheckpoint;
import io.github.rosettadl.core.compression.PruningSummary;
import io.github.rosettadl.examples.SharedData;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

/** {@code prune} on a real MNIST checkpoint, what {@code evaluate} and {@code predict} make of its output, and bad input. */
class PruneCommandTest {

    @TempDir
    static Path tmp;

    private static Path dense;
    private static Path halfPruned;
    private static CliRun halfRun;

    @BeforeAll
    static void trainAndPruneAnMlp() {
        CliRun train = CliRun.of("train", "mlp", "--dataset", "mnist", "--data-dir", data(), "--offline",
                "--limit", "2000", "--epochs", "2", "--device", "cpu", "--save-model",
                "--output-dir", tmp.resolve("dense").toString());
        assertEquals(0, train.exitCode(), train.err());
        dense = tmp.resolve("dense/model.ckpt");
        halfRun = CliRun.of("prune", dense.toString(), "--sparsity", "0.5", "--data-dir", data(), "--offline",
                "--limit", "2000", "--device", "cpu", "--output-dir", tmp.resolve("half").toString());
        assertEquals(0, halfRun.exitCode(), halfRun.err());
        halfPruned = tmp.resolve("half/model.ckpt");
    }

    private static String data() {
        return SharedData.requireMnist().toString();
    }

    private static double accuracy(String text, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        assertTrue(m.find(), "no '" + pattern + "' in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void halfThePrunedWeightsKeepAnAccuracyWellAboveChance() throws IOException {
        double pruned = accuracy(halfRun.out(), "Test accuracy (\\d+\\.\\d\\d)% at 50\\.00% sparsity");
        double denseAccuracy = accuracy(halfRun.out(), "\\(dense (\\d+\\.\\d\\d)%\\)");
        assertTrue(denseAccuracy > 80, "two epochs on 2,000 images learn: " + halfRun.out());
        assertTrue(pruned > 80, "chance is 10%; half the weights, the smallest, matter little: " + halfRun.out());
        assertTrue(pruned > denseAccuracy - 3, halfRun.out());
        assertTrue(Files.size(halfPruned) < Files.size(dense) / 4, "no optimiser moments, half the weights");
    }

    @Test
    void evaluateAndPredictTakeThePrunedCheckpointAndAgreeWithPrune() throws IOException {
        CliRun evaluate = CliRun.of("evaluate", halfPruned.toString(), "--data-dir", data(), "--offline",
                "--limit", "2000", "--device", "cpu");
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertEquals(accuracy(halfRun.out(), "Test accuracy (\\d+\\.\\d\\d)% at"),
                accuracy(evaluate.out(), "test accuracy (\\d+\\.\\d\\d)%"), "the file holds the weights prune tested");
        Path digit = tmp.resolve("digit.png");
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(12, 4, 4, 20, 0, filled(80, 255));
        ImageIO.write(image, "png", digit.toFile());
        CliRun predict = CliRun.of("predict", halfPruned.toString(), digit.toString(), "--device", "cpu");
        assertEquals(0, predict.exitCode(), predict.err());
    }

    private static int[] filled(int n, int value) {
        int[] values = new int[n];
        Arrays.fill(values, value);
        return values;
    }

    @Test
    void iterativePruningWithFineTuningReachesTheTargetAndSaysHow() {
        Path out = tmp.resolve("iterative");
        CliRun run = CliRun.of("prune", dense.toString(), "--sparsity", "0.8", "--steps", "2", "--fine-tune-epochs",
                "1", "--scope", "layer", "--data-dir", data(), "--offline", "--limit", "500", "--device", "cpu",
                "--output-dir", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("step 1/2: sparsity 55.28%"), run.out());
        assertTrue(run.out().contains("step 2/2: sparsity 80.00%"), run.out());
        PruningSummary summary = PrunedCheckpoint.readSummary(out.resolve("model.ckpt"));
        assertEquals(2, summary.steps());
        assertEquals("layer", summary.scope());
        summary.layers().forEach(l -> assertEquals(0.8, l.sparsity(), 1e-3, l.toString()));
        assertFalse(Files.exists(out.resolve(".prune-step.ckpt")), "the step between is removed");
    }

    @Test
    void aDamagedPrunedCheckpointIsRefusedByEveryCommandWithExitCode2() throws IOException {
        byte[] bytes = Files.readAllBytes(halfPruned);
        Path truncated = tmp.resolve("truncated.ckpt");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        for (String[] args : new String[][] {
                {"evaluate", truncated.toString(), "--data-dir", data(), "--offline"},
                {"predict", truncated.toString(), tmp.resolve("none.png").toString()},
                {"prune", truncated.toString(), "--sparsity", "0.9", "--output-dir", tmp.resolve("t").toString()}}) {
            CliRun run = CliRun.of(args);
            assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), String.join(" ", args) + ": " + run.err());
            assertTrue(run.err().contains(truncated.toString()) && run.err().contains("truncated"), run.err());
            assertFalse(run.err().contains("\tat "), run.err());
        }
        assertFalse(Files.exists(tmp.resolve("t")), "a prune that cannot start leaves no folder");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--sparsity|1|--sparsity must be a fraction at least 0 and below 1",
        "--sparsity|-0.1|got -0.1",
        "--sparsity|90|got 90.0",
        "--sparsity|ninety|'ninety'",
        "--scope|row|Invalid --scope 'row'. Valid: global, layer",
        "--steps|0|--steps must be a positive number, got 0",
        "--steps|3|needs --fine-tune-epochs 1 or more",
        "--fine-tune-epochs|-1|--fine-tune-epochs must be 0 (none) or positive, got -1",
        "--lr|0|--lr must be a positive number, got 0.0",
        "--limit|-5|--limit must be 0 (all) or positive, got -5"})
    void badFlagsExitWith2AndNameTheFlagAndValue(String flag, String value, String message) {
        String[] args = flag.equals("--sparsity")
                ? new String[] {"prune", dense.toString(), flag, value, "--output-dir", tmp.resolve("bad").toString()}
                : new String[] {"prune", dense.toString(), "--sparsity", "0.5", flag, value,
                    "--output-dir", tmp.resolve("bad").toString()};
        CliRun run = CliRun.of(args);
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in:\n" + run.err());
        assertFalse(Files.exists(tmp.resolve("bad")), "nothing is written");
    }

    @Test
    void aMissingCheckpointASparsityLeftOutOrAFolderInUseAreRefused() throws IOException {
        CliRun missing = CliRun.of("prune", tmp.resolve("nope.ckpt").toString(), "--sparsity", "0.5");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, missing.exitCode());
        assertTrue(missing.err().contains("nope.ckpt") && missing.err().contains("no such file"), missing.err());

        CliRun noSparsity = CliRun.of("prune", dense.toString());
        assertEquals(RosettaCli.EXIT_BAD_INPUT, noSparsity.exitCode());
        assertTrue(noSparsity.err().contains("--sparsity"), noSparsity.err());

        CliRun inUse = CliRun.of("prune", dense.toString(), "--sparsity", "0.5", "--data-dir", data(), "--offline",
                "--limit", "200", "--device", "cpu", "--output-dir", tmp.resolve("half").toString());
        assertEquals(RosettaCli.EXIT_BAD_INPUT, inUse.exitCode(), inUse.err());
        assertTrue(inUse.err().contains("--overwrite"), inUse.err());
        assertTrue(Files.exists(halfPruned), "the other run's checkpoint is kept");
    }
}
