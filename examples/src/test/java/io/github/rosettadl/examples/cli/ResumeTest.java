package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.examples.SharedData;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.ZipFile;

/**
 * {@code train --save-model} killed with SIGKILL ({@code kill -9}) at different moments, in a child
 * JVM, then {@code train --resume}: the final history and weights equal an uninterrupted run's (CPU,
 * 1 thread, same seed).
 */
class ResumeTest {

    private static final int EPOCHS = 6;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static Path reference;

    /** When the child is killed. */
    enum Moment {
        /** the run has started (run.json is written) but no checkpoint exists */
        BEFORE_THE_FIRST_CHECKPOINT(dir -> Files.exists(dir.resolve("run.json")), 0),
        /** a checkpoint is being written, or has just been */
        WHILE_A_CHECKPOINT_IS_WRITTEN(dir -> Files.exists(dir.resolve("model.ckpt.tmp"))
                || Files.exists(dir.resolve("model.ckpt")), 0),
        /** in the middle of the second or third epoch */
        IN_THE_MIDDLE_OF_AN_EPOCH(dir -> Files.exists(dir.resolve("model.ckpt")), 150);

        final Predicate<Path> when;
        final long thenWaitMillis;

        Moment(Predicate<Path> when, long thenWaitMillis) {
            this.when = when;
            this.thenWaitMillis = thenWaitMillis;
        }
    }

    private static Process start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                RosettaCli.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile());
        builder.environment().put("ROSETTA_RELAUNCH", "false");
        builder.environment().put("DJL_OFFLINE", "true");
        return builder.start();
    }

    private static String[] train(Path dir) {
        return train(dir, EPOCHS);
    }

    private static String[] train(Path dir, int epochs) {
        return new String[] {"train", "simple-cnn", "--dataset", "mnist", "--data-dir", SharedData.dir().toString(),
            "--offline", "--device", "cpu", "--threads", "1", "--limit", "1000", "--epochs", String.valueOf(epochs),
            "--save-model", "--output-dir", dir.toString()};
    }

    private static void finish(Process process, Path dir) throws Exception {
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the run did not finish");
        assertEquals(0, process.exitValue(),
                Files.readString(dir.resolveSibling(dir.getFileName() + ".log")));
    }

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        SharedData.requireMnist();
        reference = shared.resolve("reference");
        finish(start(reference, train(reference)), reference);
    }

    @ParameterizedTest
    @EnumSource(Moment.class)
    void aRunKilledAtAnyMomentResumesToTheUninterruptedResult(Moment moment) throws Exception {
        Path dir = tmp.resolve("run");
        Process child = start(dir, train(dir));
        while (!moment.when.test(dir) && child.isAlive()) {
            Thread.sleep(2);
        }
        Thread.sleep(moment.thenWaitMillis);
        assertTrue(child.isAlive(), "the run ended before it could be killed");
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
        child.waitFor();
        assertFalse(Files.exists(dir.resolve("summary.md")), "killed before the end");

        Process resumed = start(dir, "train", "--resume", dir.toString(), "--data-dir", SharedData.dir().toString(),
                "--offline", "--device", "cpu", "--threads", "1");
        finish(resumed, dir);
        String log = Files.readString(dir.resolveSibling("run.log"));
        if (moment == Moment.IN_THE_MIDDLE_OF_AN_EPOCH) {
            assertFalse(log.contains("resumed after epoch 0,"), "it trained again from the start: " + log);
        }
        assertTrue(log.contains("resumed after epoch"), log);

        assertEquals(metrics(reference), metrics(dir), "loss and accuracy of every epoch");
        assertArrayEquals(entry(reference, "parameters.bin"), entry(dir, "parameters.bin"), "weights");
        assertArrayEquals(entry(reference, "optimizer.bin"), entry(dir, "optimizer.bin"), "Adam's moments");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "a killed write's temporary file stayed");
        }
    }

    @Test
    void aResumedRunCanTrainLongerWithEpochs() throws Exception {
        Path dir = tmp.resolve("longer");
        CliRun first = CliRun.of(train(dir, 1));
        assertEquals(0, first.exitCode(), first.err());
        CliRun more = CliRun.of("train", "--resume", dir.resolve("model.ckpt").toString(), "--epochs", "2",
                "--data-dir", SharedData.dir().toString(), "--offline", "--device", "cpu", "--threads", "1");
        assertEquals(0, more.exitCode(), more.err());
        assertEquals(2, Files.readAllLines(dir.resolve("history.csv")).size() - 1, "two epochs in the history");
    }

    /** Epoch, train loss, train accuracy, validation loss and accuracy: everything but the timings. */
    private static List<String> metrics(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("history.csv")).stream()
                .map(line -> String.join(",", Arrays.copyOf(line.split(","), 5)))
                .toList();
    }

    private static byte[] entry(Path dir, String name) throws IOException {
        try (ZipFile zip = new ZipFile(dir.resolve("model.ckpt").toFile())) {
            return zip.getInputStream(zip.getEntry(name)).readAllBytes();
        }
    }
}
