package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.examples.SharedData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The output-folder rule and the bad inputs of {@code --resume}, through the real command line. */
class RunFolderTest {

    @TempDir
    Path tmp;

    private CliRun train(Path dir, String... extra) {
        return CliRun.of(RosettaCli.withPrefix(extra, "train", "mlp", "--dataset", "mnist", "--data-dir",
                SharedData.dir().toString(), "--offline", "--device", "cpu", "--limit", "200", "--epochs", "1",
                "--output-dir", dir.toString()));
    }

    private static void assertBadInput(CliRun run, String... words) {
        assertEquals(2, run.exitCode(), run.err());
        for (String word : words) {
            assertTrue(run.err().contains(word), "missing '" + word + "' in: " + run.err());
        }
        assertFalse(run.err().contains("Exception"), "no stack trace: " + run.err());
    }

    @Test
    void aSecondRunIntoTheSameFolderIsRefusedAndTheFirstRunsFilesStay() throws IOException {
        SharedData.requireMnist();
        Path dir = tmp.resolve("run");
        assertEquals(0, train(dir, "--save-model").exitCode());
        byte[] checkpoint = Files.readAllBytes(dir.resolve("model.ckpt"));
        String summary = Files.readString(dir.resolve("summary.md"));

        assertBadInput(train(dir), "already holds files", "--overwrite", "--resume");
        assertEquals(summary, Files.readString(dir.resolve("summary.md")));
        assertTrue(java.util.Arrays.equals(checkpoint, Files.readAllBytes(dir.resolve("model.ckpt"))));
    }

    @Test
    void overwriteReplacesTheEarlierRunAndLeavesNoStaleCheckpoint() throws IOException {
        SharedData.requireMnist();
        Path dir = tmp.resolve("run");
        assertEquals(0, train(dir, "--save-model").exitCode());
        CliRun second = train(dir, "--overwrite");
        assertEquals(0, second.exitCode(), second.err());
        assertFalse(Files.exists(dir.resolve("model.ckpt")), "the first run's checkpoint beside the second's report");
        assertTrue(Files.exists(dir.resolve("summary.md")));
    }

    @Test
    void theWorkingFolderIsNotWrittenIntoSilently() {
        // the tests run in the module's folder, which holds pom.xml and src
        assertBadInput(train(Path.of("")), "Output directory '.' already holds files");
    }

    @Test
    void aRunThatCannotStartLeavesNoFolder() {
        Path dir = tmp.resolve("never");
        CliRun run = CliRun.of("train", "mlp", "--dataset", "mnist", "--data-dir", tmp.resolve("empty").toString(),
                "--offline", "--cache-dir", tmp.resolve("cache").toString(), "--device", "cpu",
                "--output-dir", dir.toString());
        assertBadInput(run, "MNIST is not available");
        assertFalse(Files.exists(dir), "an empty folder was left behind");
    }

    @Test
    void resumeRefusesTheFlagsThatWouldChangeTheRun() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        assertBadInput(CliRun.of("train", "--resume", dir.toString(), "--lr", "0.1", "--seed", "7"),
                "--resume continues a run as it was started", "--lr", "--seed", "--epochs");
        assertBadInput(CliRun.of("train", "cifar-cnn", "--resume", dir.toString()), "MODEL");
    }

    @Test
    void resumeOfAFolderThatIsNotARunSaysWhatItNeeds() throws IOException {
        assertBadInput(CliRun.of("train", "--resume", tmp.resolve("missing").toString()), "does not exist");
        Path notARun = Files.createDirectories(tmp.resolve("photos"));
        assertBadInput(CliRun.of("train", "--resume", notARun.toString()), "has no run.json");
    }

    @Test
    void resumeOfARunWithoutCheckpointsOrWithADamagedRunFileIsRefused() throws IOException {
        SharedData.requireMnist();
        Path unsaved = tmp.resolve("unsaved");
        assertEquals(0, train(unsaved).exitCode());
        assertBadInput(CliRun.of("train", "--resume", unsaved.toString()), "without --save-model");

        Path damaged = tmp.resolve("damaged");
        assertEquals(0, train(damaged, "--save-model").exitCode());
        Files.writeString(damaged.resolve("run.json"), "{\"model\": \"mlp\", \"dataset\": ");
        assertBadInput(CliRun.of("train", "--resume", damaged.toString(), "--data-dir", SharedData.dir().toString()),
                "run.json is damaged");
    }
}
