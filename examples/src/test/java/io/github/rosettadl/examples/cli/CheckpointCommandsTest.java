package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

/** {@code evaluate}, {@code predict} and {@code generate} on checkpoints that {@code train} wrote. */
class CheckpointCommandsTest {

    @TempDir
    static Path tmp;

    private static Path mlpCheckpoint;
    private static Path charRnnCheckpoint;

    @BeforeAll
    static void trainTwoSmallModels() {
        Path data = SharedData.requireMnist();
        CliRun mlp = CliRun.of("train", "mlp", "--dataset", "mnist", "--data-dir", data.toString(), "--offline",
                "--limit", "2000", "--epochs", "1", "--device", "cpu", "--save-model",
                "--output-dir", tmp.resolve("mlp").toString());
        assertEquals(0, mlp.exitCode(), mlp.err());
        mlpCheckpoint = tmp.resolve("mlp/model.ckpt");
        CliRun charRnn = CliRun.of("train", "char-rnn", "--epochs", "1", "--limit", "2000", "--device", "cpu",
                "--output-dir", tmp.resolve("char").toString());
        assertEquals(0, charRnn.exitCode(), charRnn.err());
        charRnnCheckpoint = tmp.resolve("char/model.ckpt");
    }

    @Test
    void evaluateReportsTheSameAccuracyAsTraining() throws IOException {
        CliRun run = CliRun.of("evaluate", mlpCheckpoint.toString(), "--data-dir", SharedData.dir().toString(),
                "--offline", "--limit", "2000", "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        Matcher evaluated = Pattern.compile("test accuracy (\\d+\\.\\d\\d)%").matcher(run.out());
        assertTrue(evaluated.find(), run.out());
        String summary = Files.readString(tmp.resolve("mlp/summary.md"));
        Matcher trained = Pattern.compile("Test accuracy: \\*\\*(\\d+\\.\\d\\d)%").matcher(summary);
        assertTrue(trained.find(), summary);
        assertEquals(trained.group(1), evaluated.group(1), "the checkpoint holds the weights that were tested");
        assertTrue(Double.parseDouble(evaluated.group(1)) > 60, "one epoch on 2,000 images learns: " + run.out());
        assertEquals(10 + 2, run.out().lines().count(), "summary line, header, one line per class");
    }

    @Test
    void predictGivesTopKClassesForAnImageFileOfAnySize() throws IOException {
        // a thick white "1" on black, drawn large and in colour: predict converts and resizes it
        BufferedImage one = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = one.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(48, 12, 16, 88);
        g.dispose();
        Path file = tmp.resolve("one.png");
        ImageIO.write(one, "png", file.toFile());

        CliRun run = CliRun.of("predict", mlpCheckpoint.toString(), file.toString(), "--top-k", "3", "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        Matcher line = Pattern.compile("one\\.png:  (\\d) (\\d+\\.\\d)%  \\d \\d+\\.\\d%  \\d \\d+\\.\\d%").matcher(run.out());
        assertTrue(line.find(), run.out());
        assertEquals("1", line.group(1), "the drawn stroke reads as a one: " + run.out());
    }

    @Test
    void generateContinuesThePromptWithCharactersOfTheText() {
        CliRun run = CliRun.of("generate", charRnnCheckpoint.toString(), "--prompt", "Anne", "--length", "120",
                "--temperature", "0.8", "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        String text = run.out().strip();
        assertTrue(text.startsWith("Anne"), text);
        assertEquals(124, text.codePointCount(0, text.length()), text);
    }

    @Test
    void aMissingCheckpointNamesTheFile() {
        CliRun run = CliRun.of("evaluate", tmp.resolve("nope.ckpt").toString(), "--device", "cpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("nope.ckpt"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void aCorruptCheckpointNamesTheFile() throws IOException {
        Path corrupt = Files.write(tmp.resolve("corrupt.ckpt"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        for (String command : new String[] {"evaluate", "generate"}) {
            CliRun run = CliRun.of(command, corrupt.toString(), "--device", "cpu");
            assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), command + ": " + run.err());
            assertTrue(run.err().contains("corrupt.ckpt"), run.err());
            assertFalse(run.err().contains("\tat "), run.err());
        }
    }

    @Test
    void anUnreadableImageNamesTheFile() throws IOException {
        Path notAnImage = Files.writeString(tmp.resolve("notes.png"), "not a picture");
        CliRun run = CliRun.of("predict", mlpCheckpoint.toString(), notAnImage.toString(), "--device", "cpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("notes.png"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void generateRefusesAnImageModelAndEvaluateACharModel() {
        CliRun generate = CliRun.of("generate", mlpCheckpoint.toString(), "--device", "cpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, generate.exitCode(), generate.err());
        assertTrue(generate.err().contains("char-rnn"), generate.err());
        CliRun evaluate = CliRun.of("evaluate", charRnnCheckpoint.toString(), "--device", "cpu");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.err().contains("generate"), evaluate.err());
    }
}
