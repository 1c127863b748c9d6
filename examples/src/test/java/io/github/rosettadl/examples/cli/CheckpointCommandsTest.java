package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.core.checkpoint.KnownDataset;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.source.ImageDatasets;
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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
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
    void aBlackOnWhiteMnistDigitIsInvertedAndReadLikeTheWhiteOnBlackOne() throws IOException {
        SharedData.requireMnist();
        ImageSplit test = ImageDatasets.load(ImageDatasetId.MNIST,
                SharedData.offline(SharedData.dir(), tmp.resolve("empty-cache"))).test();
        List<String> args = new ArrayList<>(List.of("predict", mlpCheckpoint.toString(), "--top-k", "1",
                "--device", "cpu"));
        int digits = 20;
        for (int i = 0; i < digits; i++) {
            // MNIST's own test digits, as a user would save them: 3x larger, once as they are and once as ink on paper
            for (boolean paper : new boolean[] {false, true}) {
                Path file = tmp.resolve("digit" + i + (paper ? "-paper" : "") + ".png");
                ImageIO.write(picture(test.image(i), paper), "png", file.toFile());
                args.add(file.toString());
            }
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        Pattern answer = Pattern.compile("digit(\\d+)(-paper)?\\.png:  (\\d) \\d+\\.\\d%(.*)");
        int[][] predicted = new int[digits][2];
        int rightOnBlack = 0;
        for (String line : run.out().lines().toList()) {
            Matcher m = answer.matcher(line);
            assertTrue(m.find(), line);
            int i = Integer.parseInt(m.group(1));
            boolean paper = m.group(2) != null;
            predicted[i][paper ? 1 : 0] = Integer.parseInt(m.group(3));
            assertEquals(paper, m.group(4).contains("inverted: the image has a light background"), line);
            if (!paper && predicted[i][0] == test.label(i)) {
                rightOnBlack++;
            }
        }
        assertTrue(rightOnBlack >= 14, "the model reads most real digits: " + run.out());
        for (int i = 0; i < digits; i++) {
            assertEquals(predicted[i][0], predicted[i][1], "digit " + i + " reads the same on paper: " + run.out());
        }
    }

    /** A 28x28 grey MNIST image drawn 3x larger in RGB, its grey values inverted for ink on paper. */
    private static BufferedImage picture(byte[] pixels, boolean paper) {
        BufferedImage image = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                int grey = pixels[(y / 3) * 28 + x / 3] & 0xff;
                int v = paper ? 255 - grey : grey;
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    @Test
    void theImageDataSetsAreTheOnesCheckpointsKnow() {
        for (ImageDatasetId id : ImageDatasetId.values()) {
            assertTrue(KnownDataset.named(id.cliName()).isPresent(), id.cliName());
        }
        assertEquals(ImageDatasetId.values().length, KnownDataset.values().length);
    }

    @Test
    void aDamagedDescriptionExitsTwoNamingTheFileAndTheField() throws IOException {
        SharedData.requireMnist();
        Path image = tmp.resolve("blank.png");
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        String[][] damages = {
            {"\"hidden\": 128", "\"hidden\": 0", "model.arguments", "hidden layer"},
            {"\"hidden\": 128", "\"hidden\": 2000000000", "parameters[0]", "2000000000"},
            {"\"epochs\": 1,", "\"epochs\": 0,", "training", "Epochs must be at least 1"},
            {"\"dataset\": \"mnist\"", "\"dataset\": \"cifar10\"", "data.dataset", "3x32x32"},
            {"\"0\",", "", "data.classNames", "lists 9 names"},
        };
        for (String[] damage : damages) {
            Path file = tmp.resolve("damaged.ckpt");
            Files.copy(mlpCheckpoint, file, StandardCopyOption.REPLACE_EXISTING);
            DamagedCheckpoint.replaceInJson(file, damage[0], damage[1]);
            for (String[] command : new String[][] {
                {"evaluate", file.toString(), "--data-dir", SharedData.dir().toString(), "--offline", "--limit", "10"},
                {"predict", file.toString(), image.toString()},
                {"generate", file.toString()}}) {
                List<String> args = new ArrayList<>(List.of(command));
                args.addAll(List.of("--device", "cpu"));
                CliRun run = CliRun.of(args.toArray(String[]::new));
                String what = String.join(" ", command) + " with " + damage[1] + ": " + run.err();
                assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), what);
                assertTrue(run.err().contains(file.toString()) && run.err().contains("checkpoint.json field "
                        + damage[2] + " ") && run.err().contains(damage[3]), what);
                assertTrue(run.err().contains("save the model again"), what);
                assertFalse(run.err().contains("\tat ") || run.err().contains("Failed to invoke"), what);
            }
        }
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
