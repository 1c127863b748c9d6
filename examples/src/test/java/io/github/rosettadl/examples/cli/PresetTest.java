package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.examples.SharedData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code train --preset}: each variant trains end to end on a small real subset and says what it is. */
class PresetTest {

    @TempDir
    Path tmp;

    private CliRun train(String... args) {
        return CliRun.of(RosettaCli.withPrefix(args, "train", "--data-dir", SharedData.dir().toString(), "--offline",
                "--cache-dir", tmp.resolve("cache").toString(), "--device", "cpu", "--threads", "1",
                "--output-dir", tmp.resolve("run").toString()));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"mlp-dropout, mnist, none", "cnn-bn, mnist, shifts up to 2 px",
        "cnn-bn-flip, mnist, 'shifts up to 2 px, horizontal flips'", "lstm-rows, mnist, none",
        "vgg-bn, cifar10, 'shifts up to 4 px, horizontal flips'"})
    void eachPresetTrainsAndItsSummarySaysWhatChanged(String preset, String dataset, String augmentation)
            throws IOException {
        if (dataset.equals("mnist")) {
            SharedData.requireMnist();
        } else {
            SharedData.requireCifar10();
        }
        CliRun run = train("--preset", preset, "--dataset", dataset, "--epochs", "2", "--limit", "256");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Test accuracy") && run.out().contains(preset + " on"), run.out());
        String summary = Files.readString(tmp.resolve("run/summary.md"));
        assertTrue(summary.contains("| preset | " + preset + ": " + Preset.fromName(preset).description()), summary);
        assertTrue(summary.contains("| augmentation | " + augmentation + " |"), summary);
        assertTrue(summary.contains("| learning-rate schedule | cosine |"), summary);
        assertEquals(3, Files.readAllLines(tmp.resolve("run/history.csv")).size(), "two epochs");
    }

    @Test
    void aPresetWithAModelOrAnUnknownNameExitsWithTwo() {
        CliRun both = train("mlp", "--preset", "mlp-dropout");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, both.exitCode());
        assertTrue(both.err().contains("either MODEL (mlp) or --preset mlp-dropout"), both.err());
        CliRun unknown = train("--preset", "resnet");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, unknown.exitCode());
        assertTrue(unknown.err().contains("Valid presets: " + Preset.names()), unknown.err());
    }
}
