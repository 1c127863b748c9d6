package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Every bad input exits with 2 and one line naming the value and what is valid; no stack trace. */
class BadInputTest {

    @TempDir
    Path tmp;

    private static void assertBadInput(CliRun run, String... mentions) {
        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.out() + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose:\n" + run.err());
        for (String mention : mentions) {
            assertTrue(run.err().contains(mention), "expected '" + mention + "' in:\n" + run.err());
        }
    }

    @Test
    void unknownModelListsTheModels() {
        assertBadInput(CliRun.of("train", "resnet"), "'resnet'", "simple-cnn", "cifar-cnn");
    }

    @Test
    void unknownDatasetListsTheDatasets() {
        assertBadInput(CliRun.of("train", "mlp", "--dataset", "imagenet"), "'imagenet'", "fashion-mnist", "cifar10");
    }

    @Test
    void aModelThatDoesNotTrainOnImagesIsRefusedForAnImageDataset() {
        assertBadInput(CliRun.of("train", "char-rnn", "--dataset", "mnist"), "char-rnn", "simple-cnn");
        assertBadInput(CliRun.of("train", "linear-regression", "--dataset", "cifar10"), "linear-regression");
    }

    @ParameterizedTest
    @CsvSource({"--epochs, 0", "--epochs, -3", "--batch-size, 0", "--lr, 0", "--lr, -0.1", "--limit, -5",
        "--threads, 0", "--accumulate, 0", "--accumulate, -2"})
    void nonPositiveNumbersNameTheFlag(String flag, String value) {
        assertBadInput(CliRun.of("train", "mlp", flag, value, "--output-dir", tmp.resolve("run").toString()),
                flag, value);
    }

    @Test
    void anUnwritableOutputDirectoryIsRefusedBeforeTraining() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        assertBadInput(CliRun.of("train", "mlp", "--device", "cpu", "--output-dir", file.resolve("run").toString()),
                "Cannot write to", "is a file", "--output-dir");
    }

    @Test
    void aBadNormalizationNamesTheChoices() {
        assertBadInput(CliRun.of("train", "mlp", "--normalize", "zscore"), "'zscore'", "divide-255, mean-std");
    }

    @Test
    void aBadOptimizerNamesTheChoices() {
        assertBadInput(CliRun.of("train", "mlp", "--optimizer", "rmsprop", "--output-dir",
                tmp.resolve("run").toString()), "rmsprop", "adam");
    }

    @Test
    void momentumIsSgdsAndBelowOne() {
        assertBadInput(CliRun.of("train", "mlp", "--momentum", "0.9", "--output-dir", tmp.resolve("run").toString()),
                "--momentum 0.9", "adam", "--optimizer sgd");
        assertBadInput(CliRun.of("train", "tanh-cnn", "--momentum", "1.0", "--output-dir",
                tmp.resolve("run").toString()), "--momentum 1.0", "[0, 1)");
        assertFalse(Files.exists(tmp.resolve("run")), "refused before the run folder exists");
    }

    @Test
    void aBadPrecisionNamesTheChoices() {
        assertBadInput(CliRun.of("train", "mlp", "--precision", "bf16", "--output-dir",
                tmp.resolve("run").toString()), "'bf16'", "fp32, fp16");
        assertFalse(Files.exists(tmp.resolve("run")), "refused before the run folder exists");
    }
}
