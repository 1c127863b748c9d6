package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.core.compression.QuantizedCheckpoint;
import io.github.rosettadl.examples.SharedData;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

/** {@code quantize}, and {@code evaluate}, {@code predict} and {@code train --resume} on what it writes. */
class QuantizeCommandTest {

    @TempDir
    static Path tmp;

    private static Path floatCheckpoint;
    private static Path int8Checkpoint;

    @BeforeAll
    static void trainAndQuantize() {
        Path data = SharedData.requireMnist();
        CliRun train = CliRun.of("train", "mlp", "--dataset", "mnist", "--data-dir", data.toString(), "--offline",
                "--limit", "2000", "--epochs", "1", "--device", "cpu", "--save-model",
                "--output-dir", tmp.resolve("mlp").toString());
        assertEquals(0, train.exitCode(), train.err());
        floatCheckpoint = tmp.resolve("mlp/model.ckpt");
        CliRun quantize = CliRun.of("quantize", floatCheckpoint.toString(), "--output-dir",
                tmp.resolve("int8").toString());
        assertEquals(0, quantize.exitCode(), quantize.err());
        int8Checkpoint = tmp.resolve("int8/model.ckpt");
        assertTrue(quantize.out().contains("2 tensors as int8") && quantize.out().contains("Wrote " + int8Checkpoint),
                quantize.out());
    }

    private static double accuracy(Path checkpoint) {
        return accuracy(checkpoint, 500);
    }

    /** The test accuracy {@code evaluate} prints, on the first {@code limit} test images (0: all). */
    private static double accuracy(Path checkpoint, int limit) {
        CliRun run = CliRun.of("evaluate", checkpoint.toString(), "--data-dir", SharedData.dir().toString(),
                "--offline", "--limit", String.valueOf(limit), "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        Matcher m = Pattern.compile("test accuracy (\\d+\\.\\d\\d)%").matcher(run.out());
        assertTrue(m.find(), run.out());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theQuantizedCheckpointIsAQuarterOfTheWeightsAndEvaluatesLikeTheFloatOne() throws IOException {
        assertTrue(QuantizedCheckpoint.isQuantized(int8Checkpoint));
        // the MLP's 784 x 128 + 128 x 10 weights and 138 biases, as float32
        long floatWeights = 4L * (784 * 128 + 128 + 128 * 10 + 10);
        long size = Files.size(int8Checkpoint);
        assertTrue(size < 0.27 * floatWeights, size + " bytes against " + floatWeights);
        double before = accuracy(floatCheckpoint);
        double after = accuracy(int8Checkpoint);
        assertTrue(before > 60, "the model learned: " + before);
        assertEquals(before, after, 1.0, "500 test images: one image is 0.2 points");
    }

    @Test
    void predictReadsTheQuantizedCheckpoint() throws IOException {
        BufferedImage one = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = one.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(12, 3, 4, 22);
        g.dispose();
        Path file = tmp.resolve("one.png");
        ImageIO.write(one, "png", file.toFile());
        CliRun before = CliRun.of("predict", floatCheckpoint.toString(), file.toString(), "--top-k", "1",
                "--device", "cpu");
        CliRun after = CliRun.of("predict", int8Checkpoint.toString(), file.toString(), "--top-k", "1",
                "--device", "cpu");
        assertEquals(0, after.exitCode(), after.err());
        Pattern top = Pattern.compile("one\\.png:  (\\d) ");
        Matcher b = top.matcher(before.out());
        Matcher a = top.matcher(after.out());
        assertTrue(b.find() && a.find(), before.out() + after.out());
        assertEquals(b.group(1), a.group(1), "the same top class: " + before.out() + after.out());
    }

    @Test
    void anOutputFolderThatHoldsFilesIsRefusedUnlessOverwriteIsGiven() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        CliRun refused = CliRun.of("quantize", floatCheckpoint.toString(), "--output-dir", dir.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("--output-dir " + dir) && refused.err().contains("notes.txt")
                && refused.err().contains("--overwrite"), refused.err());
        assertFalse(Files.exists(dir.resolve("model.ckpt")));
        CliRun replaced = CliRun.of("quantize", floatCheckpoint.toString(), "--output-dir", dir.toString(),
                "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertTrue(QuantizedCheckpoint.isQuantized(dir.resolve("model.ckpt")));
        assertEquals("keep me", Files.readString(dir.resolve("notes.txt")));

        Path plainFile = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun file = CliRun.of("quantize", floatCheckpoint.toString(), "--output-dir", plainFile.toString());
        assertEquals(2, file.exitCode(), file.err());
        assertTrue(file.err().contains("--output-dir " + plainFile) && file.err().contains("not a folder"), file.err());
    }

    @Test
    void badCheckpointsExitWithCodeTwoAndLeaveNoFolder() throws IOException {
        Path missing = tmp.resolve("nothing.ckpt");
        Path out = tmp.resolve("never");
        CliRun none = CliRun.of("quantize", missing.toString(), "--output-dir", out.toString());
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(none.err().contains("Checkpoint " + missing) && none.err().contains("no such file"), none.err());
        assertFalse(Files.exists(out), "nothing is created for a checkpoint that cannot be read");

        CliRun again = CliRun.of("quantize", int8Checkpoint.toString(), "--output-dir", out.toString());
        assertEquals(2, again.exitCode(), again.err());
        assertTrue(again.err().contains("quantized already"), again.err());
        assertFalse(Files.exists(out), "a failed quantization leaves no empty folder");

        // quantized into the training run's own folder: its run.json stays, its model.ckpt is replaced
        Path run = Files.createDirectories(tmp.resolve("run-copy"));
        Files.copy(floatCheckpoint.resolveSibling("run.json"), run.resolve("run.json"));
        CliRun into = CliRun.of("quantize", floatCheckpoint.toString(), "--output-dir", run.toString(), "--overwrite");
        assertEquals(0, into.exitCode(), into.err());
        CliRun resume = CliRun.of("train", "--resume", run.toString(), "--data-dir",
                SharedData.dir().toString(), "--offline", "--device", "cpu");
        assertEquals(2, resume.exitCode(), resume.err());
        assertTrue(resume.err().contains("quantized") && resume.err().contains("float32 checkpoint"), resume.err());
    }

    @Test
    void resultsQuantizeAddsARowToTheInt8TableOfThePage() throws IOException {
        Path page = tmp.resolve("docs/RESULTS.md");
        Files.createDirectories(page.getParent());
        CliRun run = CliRun.of("results", "--quantize", floatCheckpoint.toString(), "--output", page.toString(),
                "--runs-dir", tmp.resolve("runs").toString(), "--data-dir", SharedData.dir().toString(), "--offline",
                "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        String markdown = Files.readString(page);
        Matcher row = Pattern.compile("\\| mlp/mnist \\| 1 \\| (\\d+\\.\\d\\d)% \\| (\\d+\\.\\d\\d)% \\|.*"
                + "\\| (0\\.\\d{3})x \\| 0\\.\\d{3} \\| (yes|\\*\\*no\\*\\*) \\|").matcher(markdown);
        assertTrue(markdown.contains("## Int8 weights") && row.find(), markdown);
        assertEquals(accuracy(floatCheckpoint, 0), Double.parseDouble(row.group(1)), 1e-9, "scored as evaluate scores it");
        assertTrue(Double.parseDouble(row.group(3)) < 0.27, row.group());
        assertTrue(Files.exists(tmp.resolve("docs/results/quantization.json")));

        CliRun missing = CliRun.of("results", "--quantize", tmp.resolve("none.ckpt").toString(), "--output",
                page.toString(), "--runs-dir", tmp.resolve("runs").toString());
        assertEquals(2, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("none.ckpt") && missing.err().contains("no such file"), missing.err());
    }

    @Test
    void aDamagedQuantizedCheckpointGivesTheUsualErrors() throws IOException {
        Path truncated = tmp.resolve("truncated.ckpt");
        byte[] bytes = Files.readAllBytes(int8Checkpoint);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        CliRun cut = CliRun.of("evaluate", truncated.toString(), "--device", "cpu");
        assertEquals(2, cut.exitCode(), cut.err());
        assertTrue(cut.err().contains("Checkpoint " + truncated) && cut.err().contains("truncated"), cut.err());

        Path edited = tmp.resolve("edited.ckpt");
        Files.copy(int8Checkpoint, edited);
        DamagedCheckpoint.replaceInJson(edited, "\"hidden\": 128", "\"hidden\": 64");
        CliRun shapes = CliRun.of("predict", edited.toString(), tmp.resolve("one.png").toString(), "--device", "cpu");
        assertEquals(2, shapes.exitCode(), shapes.err());
        assertTrue(shapes.err().contains("Checkpoint " + edited) && shapes.err().contains("model.arguments"),
                shapes.err());
    }
}
